package goroutinewithoutcancel

import (
	"context"
	"errors"
	"time"
)

// ok: the context is rebound to one this function cancels on its way out.
func WatchLocally(ctx context.Context, cleanup func()) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-ctx.Done()
		cleanup()
	}()
	time.Sleep(time.Millisecond)
	return nil
}

// ok: a timeout bounds the watcher too.
func WatchWithTimeout(ctx context.Context, cleanup func()) {
	ctx, stop := context.WithTimeout(ctx, time.Second)
	defer stop()
	go func() {
		<-ctx.Done()
		cleanup()
	}()
}

// ok: the function itself returns only once ctx is done, so the watcher ends with it.
func Serve(ctx context.Context, conns <-chan int, closeAll func()) {
	go func() {
		<-ctx.Done()
		closeAll()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-conns:
			_ = c
		}
	}
}

// The cancel is never deferred: a caller's context that is never cancelled parks the watcher.
func WatchNoDefer(ctx context.Context, cleanup func()) {
	ctx, cancel := context.WithCancel(ctx)
	go func() { // want "goroutine-without-cancel: Goroutine leaks unless the caller cancels ctx: it only waits for its Done\\(\\)"
		<-ctx.Done()
		cleanup()
	}()
	_ = cancel
}

var errClosed = errors.New("closed")

// The function can return on an error before ctx is done: the watcher stays behind.
func ServeOrFail(ctx context.Context, conns <-chan int, closeAll func()) error {
	go func() { // want "goroutine-without-cancel: Goroutine leaks unless the caller cancels ctx: it only waits for its Done\\(\\)"
		<-ctx.Done()
		closeAll()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case c, ok := <-conns:
			if !ok {
				return errClosed
			}
			_ = c
		}
	}
}
