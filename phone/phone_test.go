package phone

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in, region, number, ext string
		ok                      bool
	}{
		{"(979) 555-0101", "US", "+19795550101", "", true},
		{"979.555.0101 ext. 12", "", "+19795550101", "12", true},
		{"979-555-0101 x12", "US", "+19795550101", "12", true},
		{"+52 55 5555 1234", "US", "+525555551234", "", true},
		{"55 5555 1234", "MX", "+525555551234", "", true},
		{"call us", "US", "", "", false},
		{"12", "US", "", "", false},
		{"", "US", "", "", false},
	} {
		n, ext, ok := Parse(c.in, c.region)
		if n != c.number || ext != c.ext || ok != c.ok {
			t.Errorf("Parse(%q, %q) = %q, %q, %v; want %q, %q, %v", c.in, c.region, n, ext, ok, c.number, c.ext, c.ok)
		}
	}
}

func TestDisplay(t *testing.T) {
	for _, c := range []struct{ in, from, want string }{
		{"+19795550101", "US", "(979) 555-0101"},
		{"+19795550101 ext. 12", "US", "(979) 555-0101 ext. 12"},
		{"+525555551234", "US", "+52 55 5555 1234"},
		{"+17875550118", "US", "(787) 555-0118"},
		{"+19795550101", "MX", "+1 979-555-0101"},
		{"ask at the desk", "US", "ask at the desk"},
		{"+234 555 0144", "US", "+234 555 0144"},
		{"555-0144", "US", "555-0144"},
	} {
		if got := Display(c.in, c.from); got != c.want {
			t.Errorf("Display(%q, %q) = %q, want %q", c.in, c.from, got, c.want)
		}
	}
}

func TestTextRoundTrip(t *testing.T) {
	for _, s := range []string{"+19795550101", "+19795550101 ext. 12"} {
		n, ext := Split(s)
		if Text(n, ext) != s {
			t.Errorf("Text(Split(%q)) = %q", s, Text(n, ext))
		}
	}
	if d := Dial("+19795550101 ext. 12"); d != "+19795550101" {
		t.Errorf("Dial = %q", d)
	}
	// A national number's region is unknown: its digits are dialed.
	if d := Dial("1800 666 111"); d != "1800666111" {
		t.Errorf("Dial national = %q", d)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("(979) 555-0101 ext. 12", "US")
	f.Fuzz(func(t *testing.T, s, region string) {
		n, ext, ok := Parse(s, region)
		if !ok {
			return
		}
		// What Parse stores reads back as itself.
		n2, ext2, ok2 := Parse(Text(n, ext), region)
		if !ok2 || n2 != n || ext2 != ext {
			t.Errorf("%q → %q %q → %q %q %v", s, n, ext, n2, ext2, ok2)
		}
	})
}
