package abandonedsender

import (
	"context"
	"errors"
	"time"
)

// resolver calls back on its own goroutine, after delay.
type resolver struct{ delay time.Duration }

func (r *resolver) lookup(name string, done func(addr string, err error)) {
	go func() {
		time.Sleep(r.delay)
		done(name+".local", nil)
	}()
}

// The callback sends on an unbuffered channel; when the timeout wins, nobody receives its answer.
func Resolve(r *resolver, name string, timeout time.Duration) (string, error) {
	type answer struct {
		addr string
		err  error
	}
	answers := make(chan answer) // want "abandoned-sender: Callback leaks if the timeout wins: its send on line 27 blocks forever. The callback handed over on line 26"
	r.lookup(name, func(addr string, err error) {
		answers <- answer{addr, err}
	})
	select {
	case a := <-answers:
		return a.addr, a.err
	case <-time.After(timeout):
		return "", errors.New("lookup timed out")
	}
}

// miner stands for an object that calls its hook from its own goroutine, once per task.
type miner struct{ newTaskHook func(n int) }

func (m *miner) run(tasks int) {
	go func() {
		for i := 0; i < tasks; i++ {
			if m.newTaskHook != nil {
				m.newTaskHook(i)
			}
		}
	}()
}

// A hook stored in a field: after the select gives up, the next task's hook blocks the miner.
func WaitTasks(m *miner, tasks int, timeout time.Duration) int {
	seen := make(chan int) // want "abandoned-sender: Callback leaks if the timeout wins: its send on line 54 blocks forever"
	m.newTaskHook = func(n int) {
		seen <- n
	}
	m.run(tasks)
	select {
	case n := <-seen:
		return n
	case <-time.After(timeout):
		return -1
	}
}

// ok: the buffer holds the one answer even when nobody waits any more.
func ResolveBuffered(r *resolver, name string, timeout time.Duration) string {
	answers := make(chan string, 1)
	r.lookup(name, func(addr string, err error) {
		answers <- addr
	})
	select {
	case a := <-answers:
		return a
	case <-time.After(timeout):
		return ""
	}
}

// ok: the callback gives up its send once ctx is done, and the function cancels ctx on its way out.
func ResolveCtx(r *resolver, name string, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	answers := make(chan string)
	r.lookup(name, func(addr string, err error) {
		select {
		case answers <- addr:
		case <-ctx.Done():
		}
	})
	select {
	case a := <-answers:
		return a
	case <-ctx.Done():
		return ""
	}
}

// ok: an early return before the receive is not reported for a callback: whether it is
// called at all on that path is up to the callee (here it never is).
func ResolveChecked(r *resolver, name string) (string, error) {
	answers := make(chan string)
	if name == "" {
		return "", errors.New("empty name")
	}
	r.lookup(name, func(addr string, err error) {
		answers <- addr
	})
	return <-answers, nil
}
