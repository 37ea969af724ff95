package abandonedsender

import (
	"context"
	"time"
)

type healResult struct{ err error }

// The receive is in a local helper that gives up when the request ends: the heal goroutine
// then blocks on its send (minio's HealHandler and keepConnLive).
func HealRequest(ctx context.Context, work func() error) error {
	waitResult := func(ctx context.Context, results chan healResult) error {
		ticker := time.NewTicker(10 * time.Millisecond)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-ticker.C:
				// keep the connection alive
			case r := <-results:
				return r.err
			}
		}
	}
	respCh := make(chan healResult) // want "abandoned-sender: Goroutine leaks if cancellation wins: its send on line 30 blocks forever"
	go func() {
		err := work()
		respCh <- healResult{err}
	}()
	return waitResult(ctx, respCh)
}

// ok: the helper receives on every path.
func HealRequestWaits(ctx context.Context, work func() error) error {
	waitResult := func(results chan healResult) error {
		r := <-results
		return r.err
	}
	respCh := make(chan healResult)
	go func() {
		respCh <- healResult{work()}
	}()
	return waitResult(respCh)
}

// ok: the helper's select gives up, but the channel has room for the one send.
func HealRequestBuffered(ctx context.Context, work func() error) error {
	waitResult := func(ctx context.Context, results chan healResult) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r := <-results:
			return r.err
		}
	}
	respCh := make(chan healResult, 1)
	go func() {
		respCh <- healResult{work()}
	}()
	return waitResult(ctx, respCh)
}

// ok: the helper is deferred (runs at return, after the later receive), so the channel escapes.
func HealRequestDeferred(ctx context.Context, work func() error) error {
	drain := func(results chan healResult) {
		for range results {
		}
	}
	respCh := make(chan healResult)
	defer drain(respCh)
	go func() {
		respCh <- healResult{work()}
		close(respCh)
	}()
	return (<-respCh).err
}
