// Package lostcancel: cancel functions of derived contexts that are discarded or not
// called on every way out.
package lostcancel

import (
	"context"
	"errors"
	"time"
)

var errEmpty = errors.New("empty")

func work(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

// watch stands for work that holds on to ctx; the ground-truth harness makes it park a
// goroutine on ctx.Done(), so a context that is never cancelled shows as a leak.
var watch = func(ctx context.Context) { _ = ctx }

// The cancel function is thrown away: the child lives as long as the parent.
func Discarded(parent context.Context) {
	ctx, _ := context.WithCancel(parent) // want "lost-cancel: Context leaks: the cancel function from context\\.WithCancel is discarded"
	watch(ctx)
}

// Discarded on a timeout: the timer lives until it fires.
func DiscardedTimeout(parent context.Context, d time.Duration) {
	ctx, _ := context.WithTimeout(parent, d) // want "lost-cancel: Context leaks: the cancel function from context\\.WithTimeout is discarded"
	watch(ctx)
}

// The early return skips the cancel at the end.
func EarlyReturn(parent context.Context, name string) error {
	ctx, cancel := context.WithCancel(parent) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 36"
	watch(ctx)
	if name == "" {
		return errEmpty
	}
	cancel()
	return nil
}

// Called on one branch only; the other falls off the end.
func NeverCalled(parent context.Context, verbose bool) {
	ctx, stop := context.WithTimeout(parent, time.Hour) // want "lost-cancel: Context leaks: stop\\(\\) is not called when the function ends on line 49"
	watch(ctx)
	if verbose {
		stop()
	}
}

// A new context every turn; the cancel runs only on the happy path, so `continue` loses it.
func PerItem(parent context.Context, items []string) {
	for _, it := range items {
		ctx, cancel := context.WithCancel(parent) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the loop moves on at line 57"
		watch(ctx)
		if it == "" {
			continue
		}
		cancel()
	}
}

// WithDeadline too.
func Deadline(parent context.Context, at time.Time, ok bool) error {
	ctx, cancel := context.WithDeadline(parent, at) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 68"
	watch(ctx)
	if !ok {
		return errEmpty
	}
	defer cancel()
	return work(ctx)
}

// Inside a goroutine's literal.
func Spawn(parent context.Context, ok bool) {
	go func() {
		ctx, cancel := context.WithCancel(parent) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 80"
		watch(ctx)
		if !ok {
			return
		}
		cancel()
	}()
}

// Assigned to a variable declared earlier.
func Reassigned(parent context.Context, d time.Duration, check func() error) error {
	var cancel context.CancelFunc
	ctx := parent
	ctx, cancel = context.WithTimeout(ctx, d) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 93"
	watch(ctx)
	if err := check(); err != nil {
		return err
	}
	cancel()
	return nil
}

// Only one branch of a switch cancels.
func Switch(parent context.Context, mode int) {
	ctx, cancel := context.WithCancel(parent) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 107"
	watch(ctx)
	switch mode {
	case 1:
		cancel()
	case 2:
		return
	}
}

// A method.
type Client struct{ base context.Context }

func (c *Client) Call(fail bool) error {
	ctx, cancel := context.WithTimeout(c.base, time.Second) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 118"
	watch(ctx)
	if fail {
		return errEmpty
	}
	cancel()
	return nil
}

// A function literal.
var Handler = func(parent context.Context) {
	ctx, _ := context.WithCancel(parent) // want "lost-cancel: Context leaks: the cancel function from context\\.WithCancel is discarded"
	watch(ctx)
}

// In a select case that returns without cancelling.
func Select(parent context.Context, in <-chan int) int {
	ctx, cancel := context.WithCancel(parent) // want "lost-cancel: Context leaks: cancel\\(\\) is not called when the function returns on line 136"
	watch(ctx)
	select {
	case v := <-in:
		return v
	case <-ctx.Done():
		cancel()
		return 0
	}
}
