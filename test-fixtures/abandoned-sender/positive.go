// Package abandonedsender holds the cases abandoned-sender must report.
package abandonedsender

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// slowness and patience are variables so the ground-truth harness can make the
// timeout win, which is when these functions leak.
var (
	slowness = 10 * time.Millisecond
	patience = time.Second
)

func slowCall() int { time.Sleep(slowness); return 1 }

var errTimeout = errors.New("timeout")

// The select's timeout case leaves; the sender is stuck.
func WithTimeout() (int, error) {
	ch := make(chan int) // want "abandoned-sender: Goroutine leaks if the timeout wins: its send on line 26 blocks forever"
	go func() {
		ch <- slowCall()
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(patience):
		return 0, errTimeout
	}
}

// Cancellation leaves; a context is in scope, so the select fix is offered too.
func WithContext(ctx context.Context) (int, error) {
	ch := make(chan int) // want "abandoned-sender: Goroutine leaks if cancellation wins: its send on line 40 blocks forever.*\\(cancellation\\).*'ch'"
	go func() {
		ch <- slowCall()
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// default leaves at once if the result is not ready.
func Poll() (int, bool) {
	ch := make(chan int) // want "abandoned-sender: .*\\(default\\)"
	go func() { ch <- slowCall() }()
	select {
	case v := <-ch:
		return v, true
	default:
		return 0, false
	}
}

// First answer wins: the other senders block forever.
func FirstMirror(mirrors []string) string {
	ch := make(chan string) // want "abandoned-sender: Goroutines started in the loop on line 66 leak: 'ch' is received once \\(line 73\\)"
	for _, m := range mirrors {
		go func(url string) {
			if resp, err := http.Get(url); err == nil {
				resp.Body.Close()
			}
			ch <- url
		}(m)
	}
	return <-ch
}

// Counted loop: the buffer becomes n.
func Race(n int) int {
	results := make(chan int) // want "abandoned-sender: Goroutines started in the loop .*'results'"
	for i := 0; i < n; i++ {
		go func(i int) {
			results <- i * i
		}(i)
	}
	return <-results
}

func validate(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	return nil
}

// An error check returns before the receive.
func Process(input string) (int, error) {
	ch := make(chan int) // want "abandoned-sender: Goroutine leaks if the function returns on line 99: its send on line 97 blocks forever"
	go func() { ch <- len(input) }()
	if err := validate(input); err != nil {
		return 0, err
	}
	return <-ch, nil
}

type Client struct{ base string }

type result struct {
	body string
	err  error
}

// A method: an early return inside a loop before the receive.
func (c *Client) Get(paths []string) (string, error) {
	done := make(chan result) // want "abandoned-sender: Goroutine leaks if the function returns on line 119: its send on line 115 blocks forever.*'done'"
	go func() {
		done <- result{body: c.base}
	}()
	for _, p := range paths {
		if p == "" {
			return "", errors.New("empty path")
		}
	}
	r := <-done
	return r.body, r.err
}

// The channel reaches the goroutine as an argument.
func ViaArgument() int {
	ch := make(chan int) // want "abandoned-sender: .*\\(a timeout\\)"
	go func(out chan<- int) {
		out <- slowCall()
	}(ch)
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		return -1
	}
}

// Generic: every function starts a sender, the first answer is taken.
func First[T any](fs []func() T) T {
	ch := make(chan T) // want "abandoned-sender: Goroutines started in the loop .*'ch'"
	for _, f := range fs {
		go func(f func() T) { ch <- f() }(f)
	}
	return <-ch
}

// A select in a loop whose timeout case returns.
func Retry(ctx context.Context) error {
	errc := make(chan error) // want "abandoned-sender: .*'errc'"
	go func() {
		time.Sleep(slowness)
		errc <- errors.New("fail")
	}()
	for {
		select {
		case err := <-errc:
			return err
		case <-time.After(patience):
			return errTimeout
		}
	}
}

// Labelled loop of senders, one receive.
func Labelled(groups [][]int) int {
	sums := make(chan int) // want "abandoned-sender: Goroutines started in the loop .*'sums'"
outer:
	for _, g := range groups {
		if len(g) == 0 {
			continue outer
		}
		go func(g []int) {
			s := 0
			for _, v := range g {
				s += v
			}
			sums <- s
		}(g)
	}
	return <-sums
}

// Two goroutines, one receive: the slower one is stuck.
func Hedged() int {
	ch := make(chan int) // want "abandoned-sender: 1 of 2 sending goroutines leak: 'ch' is received once \\(line 190\\)"
	go func() { ch <- slowCall() }()
	go func() { ch <- slowCall() + 1 }()
	return <-ch
}
