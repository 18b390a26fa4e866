// Package watchtest provides a clock that a test moves by hand, for
// watch.Options.Clock: no batch is reported until the test advances the
// clock past the debounce time, so which changes make one batch depends on
// what the test did, not on how busy the machine is.
package watchtest

import (
	"sync"
	"time"
)

// Clock is a watch.Clock that stands still until Advance moves it. It is
// safe for concurrent use; the zero value is not: use NewClock.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	timers  map[*timer]bool // set and not yet fired or stopped
	changed chan struct{}   // closed, and replaced, when timers change
}

type timer struct {
	at time.Time
	c  chan time.Time
}

// NewClock returns a clock standing at a fixed time.
func NewClock() *Clock {
	return &Clock{
		now:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		timers:  map[*timer]bool{},
		changed: make(chan struct{}),
	}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Timer returns a channel that receives once the clock has been advanced
// by d, and a function that cancels it.
func (c *Clock) Timer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.c <- c.now
		return t.c, func() {}
	}
	c.timers[t] = true
	c.notify()
	return t.c, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.timers[t] {
			delete(c.timers, t)
			c.notify()
		}
	}
}

// notify wakes WaitTimers; c.mu is held.
func (c *Clock) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Advance moves the clock by d and fires every timer then due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	fired := false
	for t := range c.timers {
		if !t.at.After(c.now) {
			delete(c.timers, t)
			t.c <- c.now
			fired = true
		}
	}
	if fired {
		c.notify()
	}
}

// Timers returns the number of timers set and not yet fired or stopped.
func (c *Clock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// WaitTimers waits until n timers are set, and reports whether they were
// before timeout (real time: a generous bound, never an outcome).
func (c *Clock) WaitTimers(n int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		have, changed := len(c.timers), c.changed
		c.mu.Unlock()
		if have == n {
			return true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return false
		}
	}
}
