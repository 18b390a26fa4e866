package plan_test

import (
	"testing"

	"checkgen/generator/fixture"
	"checkgen/generator/plan"
)

func BenchmarkLoadExample(b *testing.B) {
	fsys := fixture.Example(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenExample(b *testing.B) {
	fsys := fixture.Example(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.Open(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen10000Units(b *testing.B) {
	fsys := fixture.Grow(b, fixture.Example(b), 10000)
	b.ReportAllocs()
	for b.Loop() {
		m, err := plan.Open(fsys)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Units) != 10000 {
			b.Fatalf("%d units", len(m.Units))
		}
	}
}
