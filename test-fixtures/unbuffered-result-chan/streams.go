package unbufferedresultchan

import (
	"context"
	"io"
)

type Metric struct{ Name string }

type decoder interface{ Decode(*Metric) error }

// A stream whose sends ignore ctx: a caller that stops reading strands the decoder goroutine.
func PeerMetrics(ctx context.Context, dec decoder) <-chan Metric {
	ch := make(chan Metric) // want "unbuffered-result-chan: Goroutine leaks if the caller stops reading: the send on line 22 ignores ctx"
	go func() {
		defer close(ch)
		for {
			var m Metric
			if err := dec.Decode(&m); err != nil {
				return
			}
			ch <- m
		}
	}()
	return ch
}

// The same, closing at the tail: returning early would skip the close, so no fix is offered.
func Lines(ctx context.Context, next func() (string, error)) <-chan string {
	out := make(chan string) // want "unbuffered-result-chan: Goroutine leaks if the caller stops reading: the send on line 37 ignores ctx"
	go func() {
		for {
			s, err := next()
			if err == io.EOF {
				break
			}
			out <- s
		}
		close(out)
	}()
	return out
}

// ok: every send gives up when ctx is done.
func PeerMetricsCtx(ctx context.Context, dec decoder) <-chan Metric {
	ch := make(chan Metric)
	go func() {
		defer close(ch)
		for {
			var m Metric
			if err := dec.Decode(&m); err != nil {
				return
			}
			select {
			case ch <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// ok: no context to honour; a plain generator (see goroutine-without-cancel's note).
func CountUp(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// One goroutine per item feeds the channel: a buffer of 1 would still strand all but one
// of them, so no buffer fix is offered.
func FanOut(items []string, fetch func(string) error) chan error {
	errs := make(chan error) // want "unbuffered-result-chan: Goroutine leaks if a caller never receives: the send on line 82 blocks forever"
	for _, it := range items {
		go func(it string) {
			errs <- fetch(it)
		}(it)
	}
	return errs
}

// The goroutine takes the channel as a parameter of the same name (minio's GetPeerMetrics).
func PeerMetricsParam(ctx context.Context, dec decoder) <-chan Metric {
	ch := make(chan Metric) // want "unbuffered-result-chan: Goroutine leaks if the caller stops reading: the send on line 98 ignores ctx"
	go func(ch chan<- Metric) {
		for {
			var m Metric
			if err := dec.Decode(&m); err != nil {
				close(ch)
				return
			}
			ch <- m
		}
	}(ch)
	return ch
}

// ok: the same parameter form, giving up the send when ctx is done.
func PeerMetricsParamCtx(ctx context.Context, dec decoder) <-chan Metric {
	ch := make(chan Metric)
	go func(ch chan<- Metric) {
		defer close(ch)
		for {
			var m Metric
			if err := dec.Decode(&m); err != nil {
				return
			}
			select {
			case ch <- m:
			case <-ctx.Done():
				return
			}
		}
	}(ch)
	return ch
}
