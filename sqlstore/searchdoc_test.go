package sqlstore

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"haven"
)

func float(f float64) *float64 { return &f }

func TestSearchDocRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   haven.DirectoryDoc
		// want is in, decoded: terms a set, the head terms first
		want haven.DirectoryDoc
	}{
		{"empty", haven.DirectoryDoc{ServiceID: "s"}, haven.DirectoryDoc{ServiceID: "s", Terms: []string{}}},
		{
			"full",
			haven.DirectoryDoc{ServiceID: "s1", Name: "Niñas Shelter", Status: "active", OrgID: "o1", OrgName: "Casa (sample)",
				Places: []haven.DirectoryPlace{
					{LocationID: "l1", State: "TX", Country: "US", City: "Houston", Lat: float(29.76), Lon: float(-95.37)},
					{LocationID: "l2", Country: "MX", Lat: float(0)},
					{LocationID: "l3", Lon: float(-0.5)},
				},
				Categories: []string{"legal-services", "shelter"}, Languages: []string{"en", "es"},
				HeadTerms: []string{"shelter", "nina", "shelter"},
				Terms:     []string{"shelter", "nina", "shelter", "legal", "t", "legal", "abogado"}},
			haven.DirectoryDoc{ServiceID: "s1", Name: "Niñas Shelter", Status: "active", OrgID: "o1", OrgName: "Casa (sample)",
				Places: []haven.DirectoryPlace{
					{LocationID: "l1", State: "TX", Country: "US", City: "Houston", Lat: float(29.76), Lon: float(-95.37)},
					{LocationID: "l2", Country: "MX", Lat: float(0)},
					{LocationID: "l3", Lon: float(-0.5)},
				},
				Categories: []string{"legal-services", "shelter"}, Languages: []string{"en", "es"},
				HeadTerms: []string{"nina", "shelter"},
				Terms:     []string{"nina", "shelter", "abogado", "legal", "t"}},
		},
		{
			"who and hours",
			haven.DirectoryDoc{ServiceID: "s2", MinAge: float(12), MaxAge: float(17.5), Populations: []string{"minors", "lgbtq", "minors"},
				Trafficking: []string{"sex"}, Hours: []haven.WeeklyHours{{Zone: "America/Chicago", Day: 6, Opens: 1320, Closes: 1440}, {Zone: "Etc/GMT+5", Day: 0, Opens: 0, Closes: 120}}},
			haven.DirectoryDoc{ServiceID: "s2", MinAge: float(12), MaxAge: float(17.5), Populations: []string{"lgbtq", "minors"},
				Trafficking: []string{"sex"}, Hours: []haven.WeeklyHours{{Zone: "America/Chicago", Day: 6, Opens: 1320, Closes: 1440}, {Zone: "Etc/GMT+5", Day: 0, Opens: 0, Closes: 120}},
				Terms: []string{}},
		},
		{"one bound", haven.DirectoryDoc{ServiceID: "s3", MaxAge: float(0)}, haven.DirectoryDoc{ServiceID: "s3", MaxAge: float(0), Terms: []string{}}},
		{"room", haven.DirectoryDoc{ServiceID: "s4", RoomUpdated: &roomAt}, haven.DirectoryDoc{ServiceID: "s4", RoomUpdated: &roomAt, Terms: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encodeSearchDoc(&tc.in)
			got, err := newDocDecoder().decode(tc.in.ServiceID, b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("decoded as\n%+v\nwant\n%+v", *got, tc.want)
			}
			if again := encodeSearchDoc(got); !bytes.Equal(again, b) {
				t.Errorf("encoding the decoded document gives other bytes")
			}
		})
	}
}

// TestSearchDocRefused: every cut of a good document, and a few bad bytes,
// are refused with errSearchDoc rather than read as something else.
func TestSearchDocRefused(t *testing.T) {
	good := encodeSearchDoc(&haven.DirectoryDoc{ServiceID: "s", Name: "n", Places: []haven.DirectoryPlace{{LocationID: "l", Lat: float(1)}},
		HeadTerms: []string{"a"}, Terms: []string{"a", "b"}})
	bad := [][]byte{nil, {0}, {2}, append(bytes.Clone(good), 0), {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}}
	for i := 1; i < len(good); i++ {
		bad = append(bad, good[:i])
	}
	for _, b := range bad {
		if _, err := newDocDecoder().decode("s", b); !errors.Is(err, errSearchDoc) {
			t.Errorf("decode(%x) = %v, want errSearchDoc", b, err)
		}
	}
}

// FuzzSearchDoc: no bytes make the decoder panic or allocate without
// bound, and whatever it accepts encodes back to the same bytes.
func FuzzSearchDoc(f *testing.F) {
	f.Add(encodeSearchDoc(&haven.DirectoryDoc{ServiceID: "s", Name: "n", Status: "active", Places: []haven.DirectoryPlace{{LocationID: "l", State: "TX", Lat: float(1), Lon: float(2)}},
		Categories: []string{"c"}, Languages: []string{"es"}, HeadTerms: []string{"a"}, Terms: []string{"a", "b"}}))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add(encodeSearchDoc(&haven.DirectoryDoc{ServiceID: "s", MinAge: float(16), Populations: []string{"women"}, Trafficking: []string{"labor"},
		Hours: []haven.WeeklyHours{{Zone: "America/New_York", Day: 1, Opens: 540, Closes: 1020}}}))
	f.Add(encodeSearchDoc(&haven.DirectoryDoc{ServiceID: "s", RoomUpdated: &roomAt}))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := newDocDecoder().decode("s", b)
		if err != nil {
			return
		}
		if again := encodeSearchDoc(d); !bytes.Equal(again, b) {
			// Only a canonical encoding decodes: sorted, distinct terms.
			if _, err := newDocDecoder().decode("s", again); err != nil {
				t.Fatalf("re-encoding %x gives undecodable %x", b, again)
			}
		}
	})
}

var roomAt = time.Date(2026, 12, 6, 17, 30, 5, 123e6, time.UTC)
