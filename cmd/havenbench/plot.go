package main

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// A series is one line of the plot: an engine's index or SQL searches.
type series struct {
	label string
	color string
	sql   bool // dashed, square markers
	pts   [][2]float64
}

// plotSeries picks, for each engine, the p99 of every search through
// /api/v1/search at 1 connection: for the index, from the fixed mix's
// 1-connection run (thousands of requests); for SQL, from its sweep (a
// few requests per query, so nearly its slowest).
func plotSeries(runs []Run) []series {
	var engines []string
	for _, r := range runs {
		if !slices.Contains(engines, r.Engine) {
			engines = append(engines, r.Engine)
		}
	}
	palette := []string{"#7b3fa0", "#2e8b57", "#b8860b", "#555555"}
	var out []series
	for i, e := range engines {
		color := palette[i%len(palette)]
		switch e {
		case "sqlite":
			color = "#1f6fb4"
		case "postgres":
			color = "#c0392b"
		}
		ix := series{label: engineName(e) + ", index", color: color}
		sq := series{label: engineName(e) + ", SQL", color: color, sql: true}
		for _, r := range runs {
			if r.Engine != e {
				continue
			}
			if l := r.load(1); l != nil {
				if x := row(l.Rows, "search", endpointAPI); x != nil && x.P99 > 0 {
					ix.pts = append(ix.pts, [2]float64{float64(r.Services), x.P99})
				}
			}
			if r.SQLSweep != nil {
				if x := row(r.SQLSweep.Rows, "search", endpointAPI); x != nil && x.P99 > 0 {
					sq.pts = append(sq.pts, [2]float64{float64(r.Services), x.P99})
				}
			}
		}
		for _, s := range []series{ix, sq} {
			if len(s.pts) > 0 {
				out = append(out, s)
			}
		}
	}
	return out
}

// The plot's frame, in SVG units.
const (
	plotW, plotH              = 820, 500
	left, top, right, bottom  = 80, 64, plotW - 250, plotH - 64
	legendX                   = right + 44
	fontFamily                = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
	axisColor, gridColor      = "#333333", "#dddddd"
	minorGridColor, textColor = "#f0f0f0", "#222222"
)

// logAxis maps values on a log scale onto [a, b] in SVG units.
type logAxis struct {
	lo, hi float64 // log10 of the domain's ends
	a, b   float64
}

func newLogAxis(min, max, a, b float64) logAxis {
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	if hi <= lo {
		hi = lo + 1
	}
	// A little room past the decades, so points at 10k and 1M are not on
	// the frame.
	return logAxis{lo: lo - 0.08, hi: hi + 0.08, a: a, b: b}
}

func (ax logAxis) at(v float64) float64 {
	return ax.a + (math.Log10(v)-ax.lo)/(ax.hi-ax.lo)*(ax.b-ax.a)
}

// decades are the powers of ten in the domain.
func (ax logAxis) decades() []float64 {
	var out []float64
	for e := math.Ceil(ax.lo); e <= ax.hi; e++ {
		out = append(out, math.Pow(10, e))
	}
	return out
}

// gridLine is a line of the grid: at a decade (major) or between.
type gridLine struct {
	v     float64
	major bool
}

// gridLines are the grid's lines in the domain.
func (ax logAxis) gridLines() []gridLine {
	var out []gridLine
	for e := math.Floor(ax.lo); e <= ax.hi; e++ {
		for k := 1.0; k < 10; k++ {
			v := k * math.Pow(10, e)
			if lv := math.Log10(v); lv >= ax.lo && lv <= ax.hi {
				out = append(out, gridLine{v, k == 1})
			}
		}
	}
	return out
}

func (g gridLine) color() string {
	if g.major {
		return gridColor
	}
	return minorGridColor
}

// writePlot draws search p99 against directory size, both on log scales,
// one line per engine and implementation, as a standalone SVG.
func writePlot(w io.Writer, runs []Run) error {
	ss := plotSeries(runs)
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s.pts {
			xmin, xmax = math.Min(xmin, p[0]), math.Max(xmax, p[0])
			ymin, ymax = math.Min(ymin, p[1]), math.Max(ymax, p[1])
		}
	}
	if len(ss) == 0 {
		ymin, ymax = 0.1, 1000
	}
	// Always 10k to 1M, the sizes of issue 10, so that plots of partial
	// runs compare at a glance.
	xmin, xmax = math.Min(xmin, 1e4), math.Max(xmax, 1e6)
	xa := newLogAxis(xmin, xmax, left, right)
	ya := newLogAxis(ymin, ymax, bottom, top)

	b := bufio.NewWriter(w)
	f := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	f(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	f(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s" font-size="12" fill="%s">`+"\n",
		plotW, plotH, plotW, plotH, esc(fontFamily), textColor)
	f("<title>Haven: search p99 latency against directory size</title>\n")
	f(`<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", plotW, plotH)
	f(`<text x="%d" y="26" font-size="16" font-weight="bold">Search p99 latency against directory size</text>`+"\n", left)
	f(`<text x="%d" y="45" font-size="11" fill="#555555">/api/v1/search at 1 connection, the fixed mix of six classes; index: the mix for a fixed time, SQL: each search a few times</text>`+"\n", left)

	// Grid: major lines at decades, minor ones at 2–9 of each.
	f(`<g stroke-width="1">` + "\n")
	for _, g := range xa.gridLines() {
		x := xa.at(g.v)
		f(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`+"\n", x, top, x, bottom, g.color())
	}
	for _, g := range ya.gridLines() {
		y := ya.at(g.v)
		f(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`+"\n", left, y, right, y, g.color())
	}
	f("</g>\n")

	// Axes, ticks and their labels.
	f(`<g stroke="%s" stroke-width="1.2">`+"\n", axisColor)
	f(`<line x1="%d" y1="%d" x2="%d" y2="%d"/>`+"\n", left, bottom, right, bottom)
	f(`<line x1="%d" y1="%d" x2="%d" y2="%d"/>`+"\n", left, top, left, bottom)
	for _, d := range xa.decades() {
		x := xa.at(d)
		f(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`+"\n", x, bottom, x, bottom+6)
	}
	for _, d := range ya.decades() {
		y := ya.at(d)
		f(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`+"\n", left-6, y, left, y)
	}
	f("</g>\n")
	for _, d := range xa.decades() {
		f(`<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", xa.at(d), bottom+20, esc(sizeLabel(d)))
	}
	for _, d := range ya.decades() {
		f(`<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", left-10, ya.at(d), esc(latencyLabel(d)))
	}
	f(`<text x="%d" y="%d" text-anchor="middle">services in the directory (log scale)</text>`+"\n", (left+right)/2, bottom+44)
	f(`<text transform="translate(22 %d) rotate(-90)" text-anchor="middle">p99 latency (log scale)</text>`+"\n", (top+bottom)/2)

	if len(ss) == 0 {
		f(`<text x="%d" y="%d" text-anchor="middle" font-size="14" fill="#888888">no results yet</text>`+"\n", (left+right)/2, (top+bottom)/2)
	}

	// The series: a line, a marker and the value at each point.
	for _, s := range ss {
		dash := ""
		if s.sql {
			dash = ` stroke-dasharray="7 4"`
		}
		f(`<g class="series" stroke="%s" fill="%s">`+"\n", s.color, s.color)
		f("<title>%s</title>\n", esc(s.label))
		var pts []string
		for _, p := range s.pts {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", xa.at(p[0]), ya.at(p[1])))
		}
		f(`<polyline points="%s" fill="none" stroke-width="2.2"%s/>`+"\n", strings.Join(pts, " "), dash)
		for _, p := range s.pts {
			x, y := xa.at(p[0]), ya.at(p[1])
			if s.sql {
				f(`<rect x="%.1f" y="%.1f" width="8" height="8"/>`+"\n", x-4, y-4)
			} else {
				f(`<circle cx="%.1f" cy="%.1f" r="4.5"/>`+"\n", x, y)
			}
			// A white halo keeps the value legible over the lines.
			f(`<text x="%.1f" y="%.1f" font-size="10" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`+"\n", x+7, y-7, esc(latencyLabel(p[1])))
		}
		f("</g>\n")
	}

	// The legend.
	f(`<g font-size="12">` + "\n")
	for i, s := range ss {
		y := float64(top) + 8 + float64(i)*24
		dash := ""
		if s.sql {
			dash = ` stroke-dasharray="7 4"`
		}
		f(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-width="2.2"%s/>`+"\n", legendX, y, legendX+34, y, s.color, dash)
		if s.sql {
			f(`<rect x="%d" y="%.1f" width="8" height="8" fill="%s"/>`+"\n", legendX+13, y-4, s.color)
		} else {
			f(`<circle cx="%d" cy="%.1f" r="4.5" fill="%s"/>`+"\n", legendX+17, y, s.color)
		}
		f(`<text x="%d" y="%.1f" dominant-baseline="middle">%s</text>`+"\n", legendX+44, y, esc(s.label))
	}
	f("</g>\n</svg>\n")
	return b.Flush()
}

// latencyLabel writes milliseconds as "0.5 ms", "20 ms" or "2 s".
func latencyLabel(v float64) string {
	if v >= 1000 {
		return strconv.FormatFloat(v/1000, 'g', 3, 64) + " s"
	}
	return strconv.FormatFloat(v, 'g', 3, 64) + " ms"
}

// esc escapes text for XML.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
