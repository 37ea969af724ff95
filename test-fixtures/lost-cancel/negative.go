package lostcancel

import (
	"context"
	"log"
	"time"
)

// ok: deferred.
func Deferred(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return work(ctx)
}

// ok: called on every path.
func EveryPath(parent context.Context, ok bool) error {
	ctx, cancel := context.WithCancel(parent)
	if !ok {
		cancel()
		return errEmpty
	}
	err := work(ctx)
	cancel()
	return err
}

// ok: returned to the caller, who owns it.
func Returned(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	return ctx, cancel
}

// ok: stored in a field; Stop calls it.
type Service struct{ cancel context.CancelFunc }

func (s *Service) Start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	s.cancel = cancel
	watch(ctx)
}

func (s *Service) Stop() { s.cancel() }

// ok: handed to another goroutine that calls it.
func Handed(parent context.Context, done <-chan struct{}) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-done
		cancel()
	}()
	watch(ctx)
}

// ok: every select case cancels.
func AllCases(parent context.Context, in <-chan int) int {
	ctx, cancel := context.WithCancel(parent)
	watch(ctx)
	select {
	case v := <-in:
		cancel()
		return v
	case <-ctx.Done():
		cancel()
		return 0
	}
}

// ok: called at the end of every turn.
func EachTurn(parent context.Context, items []string) {
	for range items {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		_ = work(ctx)
		cancel()
	}
}

// ok: stored in a package variable (owned elsewhere).
var stopAll context.CancelFunc

func StartAll(parent context.Context) {
	var ctx context.Context
	ctx, stopAll = context.WithCancel(parent)
	watch(ctx)
}

// ok: AfterFunc takes it.
func After(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	time.AfterFunc(time.Second, cancel)
	watch(ctx)
}

// ok: the other path ends the process.
func Fatal(parent context.Context, ok bool) {
	ctx, cancel := context.WithCancel(parent)
	if !ok {
		log.Fatal("not ok")
	}
	watch(ctx)
	cancel()
}

// ok: a variable that carries the cancel across turns (stopped by a later turn).
func Toggle(parent context.Context, cmds []string) {
	var cancel context.CancelFunc
	for _, c := range cmds {
		switch c {
		case "start":
			var ctx context.Context
			ctx, cancel = context.WithCancel(parent)
			watch(ctx)
		case "stop":
			if cancel != nil {
				cancel()
			}
		}
	}
	if cancel != nil {
		cancel()
	}
}

// ok: deferred through a closure.
func DeferredClosure(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		cancel()
		log.Println("done")
	}()
	watch(ctx)
}
