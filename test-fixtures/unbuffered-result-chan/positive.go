// Package unbufferedresultchan holds the cases unbuffered-result-chan must report.
package unbufferedresultchan

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type Recognizer struct {
	endpoint string
}

func (r *Recognizer) connect() error { return nil }

// The speech SDK shape: the outcome is sent from a goroutine on an unbuffered channel.
func (r *Recognizer) StartContinuousRecognitionAsync() chan error {
	outcome := make(chan error) // want "unbuffered-result-chan: Goroutine leaks if a caller never receives: the send on line 21 blocks forever"
	go func() {
		outcome <- r.connect()
	}()
	return outcome
}

// The channel reaches the goroutine as an argument.
func (r *Recognizer) StopAsync() chan error {
	outcome := make(chan error) // want "unbuffered-result-chan: Goroutine leaks if a caller never receives: the send on line 30 blocks forever.*'outcome'"
	go func(out chan error) {
		out <- r.connect()
	}(outcome)
	return outcome
}

// Returned as a receive-only channel.
func Ping(url string) <-chan error {
	errc := make(chan error) // want "unbuffered-result-chan: .*'errc'"
	go func() {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	return errc
}

// Among several results.
func Fetch(ctx context.Context, url string) (chan []byte, func(), error) {
	if url == "" {
		return nil, nil, errors.New("empty url")
	}
	body := make(chan []byte) // want "unbuffered-result-chan: .*'body'"
	go func() {
		body <- []byte(url)
	}()
	return body, func() {}, nil
}

// Through a nested goroutine.
func Nested() chan int {
	ch := make(chan int) // want "unbuffered-result-chan: Goroutine leaks if a caller never receives: the send on line 65 blocks forever.*'ch'"
	go func() {
		go func() {
			ch <- 1
		}()
	}()
	return ch
}

// Generic helper.
func Async[T any](f func() T) chan T {
	result := make(chan T) // want "unbuffered-result-chan: .*'result'"
	go func() {
		result <- f()
	}()
	return result
}

// One send on each path.
func Validate(s string) chan error {
	res := make(chan error) // want "unbuffered-result-chan: .*'res'"
	go func() {
		if s == "" {
			res <- errors.New("empty")
		} else {
			res <- nil
		}
	}()
	return res
}

// Two sends on one path: a buffer of one would not be enough, so no fix is offered.
func TwoPhase() chan string {
	phases := make(chan string) // want "unbuffered-result-chan: .*'phases'"
	go func() {
		phases <- "started"
		time.Sleep(time.Millisecond)
		phases <- "done"
	}()
	return phases
}

// A select with a single case cannot leave.
func SingleCaseSelect() chan bool {
	ok := make(chan bool) // want "unbuffered-result-chan: .*'ok'"
	go func() {
		select {
		case ok <- true:
		}
	}()
	return ok
}

// Declared with var, explicit zero capacity.
func Signal() chan struct{} {
	var done = make(chan struct{}, 0) // want "unbuffered-result-chan: .*'done'"
	go func() {
		time.Sleep(time.Millisecond)
		done <- struct{}{}
	}()
	return done
}

// A function literal that returns the channel.
var StartTimer = func(d time.Duration) chan time.Time {
	fired := make(chan time.Time) // want "unbuffered-result-chan: .*'fired'"
	go func() {
		time.Sleep(d)
		fired <- time.Now()
	}()
	return fired
}

type Job struct{ id int }

// Assigned after declaration.
func (j Job) Run() chan int {
	var out chan int
	out = make(chan int) // want "unbuffered-result-chan: .*'out'"
	go func() {
		out <- j.id
	}()
	return out
}

// The send happens after a switch; each case falls through to it once.
func Classify(n int) chan string {
	kind := make(chan string) // want "unbuffered-result-chan: .*'kind'"
	go func() {
		var k string
		switch {
		case n < 0:
			k = "negative"
		default:
			k = "positive"
		}
		kind <- k
	}()
	return kind
}
