// Package joincontext is a local stand-in for github.com/LK4D4/joincontext with the same
// behaviour where it matters: Join starts a goroutine that lives until one of the two
// parents is done or the returned cancel function is called.
package joincontext

import (
	"context"
	"time"
)

type joined struct {
	context.Context
	ctx2 context.Context
}

func (j joined) Deadline() (time.Time, bool) { return j.Context.Deadline() }

// Join returns a context done when ctx1 or ctx2 is done, and its cancel function.
func Join(ctx1, ctx2 context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-ctx1.Done():
		case <-ctx2.Done():
		case <-ctx.Done():
		}
		cancel()
	}()
	return joined{Context: ctx, ctx2: ctx2}, cancel
}
