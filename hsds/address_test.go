package hsds

import "testing"

func TestMainAddress(t *testing.T) {
	for _, tt := range []struct {
		addrs []Address
		want  string
	}{
		{nil, ""},
		{[]Address{{ID: "b", AddressType: "postal"}, {ID: "a", AddressType: "postal"}}, "a"},
		{[]Address{{ID: "a", AddressType: "postal"}, {ID: "c", AddressType: "physical"}, {ID: "b", AddressType: "physical"}}, "b"},
		{[]Address{{ID: "z", AddressType: "physical"}, {ID: "a", AddressType: "virtual"}}, "z"},
	} {
		l := Location{Addresses: tt.addrs}
		got := ""
		if a := l.MainAddress(); a != nil {
			got = a.ID
		}
		if got != tt.want {
			t.Errorf("%v: main address %q, want %q", tt.addrs, got, tt.want)
		}
	}
}
