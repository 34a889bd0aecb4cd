package listing

import (
	"testing"

	"haven/hsds"
)

func TestServiceAreasField(t *testing.T) {
	shape := hsds.ServiceArea{ID: "shape", Name: "Central Houston", ExtentType: "geojson", Extent: `{"type":"Polygon","coordinates":[]}`}
	tests := []struct {
		name     string
		areas    []hsds.ServiceArea
		text     string
		want     []string // names after, in order
		keepID   map[string]string
		wantText string
	}{
		{"add to none", nil, "Texas\n\n  Nationwide  \nTexas", []string{"Texas", "Nationwide"}, nil, "Texas\nNationwide"},
		{"keep a line's id", []hsds.ServiceArea{{ID: "tx", Name: "Texas", Description: "Statewide line"}}, "Oklahoma\nTexas",
			[]string{"Oklahoma", "Texas"}, map[string]string{"Texas": "tx"}, "Oklahoma\nTexas"},
		{"shapes stay", []hsds.ServiceArea{shape, {ID: "tx", Name: "Texas"}}, "", []string{"Central Houston"}, map[string]string{"Central Houston": "shape"}, ""},
		{"clear", []hsds.ServiceArea{{ID: "tx", Name: "Texas"}}, " \n", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &hsds.Service{ID: "svc", ServiceAreas: tt.areas}
			if err := SetServiceField(s, "service_areas", tt.text, nil); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, a := range s.ServiceAreas {
				names = append(names, a.Name)
				if id, ok := tt.keepID[a.Name]; ok && a.ID != id {
					t.Errorf("%s: id %s, want %s kept", a.Name, a.ID, id)
				}
				if a.ID == "" || a.ServiceID == "" && a.ID != "shape" {
					t.Errorf("%s: id %q service %q", a.Name, a.ID, a.ServiceID)
				}
			}
			if len(names) != len(tt.want) {
				t.Fatalf("areas %v, want %v", names, tt.want)
			}
			for i := range names {
				if names[i] != tt.want[i] {
					t.Fatalf("areas %v, want %v", names, tt.want)
				}
			}
			if got, _ := ServiceField(s, "service_areas"); got != tt.wantText {
				t.Errorf("text %q, want %q", got, tt.wantText)
			}
		})
	}
}
