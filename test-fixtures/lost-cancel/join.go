package lostcancel

import (
	"context"

	"github.com/LK4D4/joincontext"
)

// joincontext.Join starts a goroutine per call; dropping its cancel keeps it until a parent ends.
func JoinDiscarded(ctx, shutdown context.Context) {
	joined, _ := joincontext.Join(ctx, shutdown) // want "lost-cancel: Goroutine leaks: the cancel function from joincontext.Join is discarded. Join starts a goroutine"
	watch(joined)
}

// ok: cancelled on the way out.
func JoinCancelled(ctx, shutdown context.Context) {
	joined, cancel := joincontext.Join(ctx, shutdown)
	defer cancel()
	watch(joined)
}

// ok: a stream's context must outlive the call; its reader ends it by cancelling ctx.
func JoinStream(ctx, shutdown context.Context) <-chan int {
	joined, _ := joincontext.Join(ctx, shutdown)
	out := make(chan int)
	go func() {
		defer close(out)
		<-joined.Done()
	}()
	return out
}
