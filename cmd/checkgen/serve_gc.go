package main

import (
	"runtime/debug"
	"runtime/metrics"
)

// serve holds a site's model in memory and makes a new one after every
// save: on a national site of 96,135 units about 50 MB of garbage a save,
// over a live heap of about 250 MB. With Go's default (GOGC=100) the
// collector ran every few saves and took about a third of a reload's
// processor time. So, unless GOGC or GOMEMLIMIT say otherwise, serve lets
// the heap grow to gcPercent% more than what is live, within a soft limit
// of gcMinLimit or gcLimitFactor times the live heap, whichever is more
// (BenchmarkServeReload, national unit-rename, processor time from save to
// reload, median of 15: 150 and 104 ms with this, 268 and 124 ms without,
// at a load average of 24; peak resident memory 860 MB instead of 570).
const (
	gcPercent     = 300
	gcMinLimit    = 640 << 20
	gcLimitFactor = 2.5
)

// gcTuner is serve's setting of the garbage collector.
type gcTuner struct {
	on           bool
	percent      int   // before serve
	limit        int64 // before serve
	live         []metrics.Sample
	lastLimitSet int64
}

// tuneGC sets the collector for serve, unless getenv has GOGC or
// GOMEMLIMIT. Call restore when serve ends.
func tuneGC(getenv func(string) string) *gcTuner {
	t := &gcTuner{}
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return t
	}
	t.on = true
	t.percent = debug.SetGCPercent(gcPercent)
	t.limit = debug.SetMemoryLimit(gcMinLimit)
	t.lastLimitSet = gcMinLimit
	t.live = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	return t
}

// loaded raises the limit after a load when the live heap is so large that
// the limit would make the collector run more often than Go's default.
func (t *gcTuner) loaded() {
	if !t.on {
		return
	}
	metrics.Read(t.live)
	if t.live[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	limit := max(int64(gcMinLimit), int64(float64(t.live[0].Value.Uint64())*gcLimitFactor))
	if limit != t.lastLimitSet {
		debug.SetMemoryLimit(limit)
		t.lastLimitSet = limit
	}
}

// restore puts back the collector's setting from before serve.
func (t *gcTuner) restore() {
	if t.on {
		debug.SetGCPercent(t.percent)
		debug.SetMemoryLimit(t.limit)
	}
}
