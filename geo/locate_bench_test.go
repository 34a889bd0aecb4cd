package geo

import "testing"

func BenchmarkLocateState(b *testing.B) {
	LocateState(Point{Lat: 29.76, Lon: -95.37}) // the table, decoded once
	b.ReportAllocs()
	for b.Loop() {
		LocateState(Point{Lat: 40.7128, Lon: -74.006}) // Manhattan: the densest cells
	}
}
