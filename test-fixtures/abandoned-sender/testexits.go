package abandonedsender

import (
	"errors"
	"fmt"
	"log"
	"testing"
	"time"
)

// The test stops at t.Fatal before it receives: the sender stays blocked.
func FatalBeforeReceive(t testing.TB, prepare, start func() error) {
	errCh := make(chan error) // want "abandoned-sender: Goroutine leaks if the test stops at t\\.Fatal on line 18: its send on line 15 blocks forever.*only once the test has failed"
	go func() {
		errCh <- start()
	}()
	if err := prepare(); err != nil {
		t.Fatal(err)
	}
	if err := <-errCh; err != nil {
		t.Errorf("start: %v", err)
	}
}

// A watchdog in a loop: when it fires, t.Fatal ends the test and the sender is stranded.
func WatchdogLoop(t testing.TB, timeout time.Duration, frame func(int) string) {
	frames := make(chan string) // want "abandoned-sender: Goroutine leaks if the timeout wins: its send on line 30 blocks forever.*only once the test has failed \\(t.Fatalf on line 38\\)"
	go func() {
		for i := 0; i < 3; i++ {
			frames <- frame(i)
		}
	}()
	for n := 0; n < 3; n++ {
		select {
		case f := <-frames:
			log.Println(f)
		case <-time.After(timeout):
			t.Fatalf("no frame %d", n)
		}
	}
}

// Each turn makes a new channel: after a timeout the next turn listens elsewhere.
func RetryFirst(tries int, call func() error) error {
	for i := 0; i < tries; i++ {
		done := make(chan error) // want "abandoned-sender: Goroutine leaks if the timeout wins: its send on line 48 blocks forever"
		go func() {
			done <- call()
		}()
		select {
		case err := <-done:
			if err == nil {
				return nil
			}
		case <-time.After(10 * time.Millisecond): // want "timer-not-stopped: New timer on every turn of the loop on line 45: before Go 1\\.23 they pile up until they fire"
		}
	}
	return errors.New("gave up")
}

// ok: t.Fatal comes only after the receive.
func FatalAfterReceive(t testing.TB, start func() error) {
	errCh := make(chan error)
	go func() {
		errCh <- start()
	}()
	if err := <-errCh; err != nil {
		t.Fatal(err)
	}
}

// ok: t.Error does not stop the test.
func ErrorBeforeReceive(t testing.TB, prepare, start func() error) {
	errCh := make(chan error)
	go func() {
		errCh <- start()
	}()
	if err := prepare(); err != nil {
		t.Error(err)
	}
	fmt.Println(<-errCh)
}

// ok: the timeout case falls through to a receive that waits for the answer anyway.
func SlowThenWait(call func() error) error {
	done := make(chan error)
	go func() {
		done <- call()
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Millisecond):
		log.Println("slow")
	}
	return <-done
}

// ok: the channel lives outside the loop and every turn listens again.
func RetryListen(call func() error) error {
	done := make(chan error)
	go func() {
		done <- call()
	}()
	for {
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Millisecond):
			log.Println("still waiting")
		}
	}
}

// ok: every branch receives the answer, the leaving one too.
func ReceivedInAllBranches(call func() error, done <-chan struct{}) error {
	result := make(chan error)
	go func() {
		result <- call()
	}()
	select {
	case err := <-result:
		return err
	case <-done:
		return <-result
	}
}

// ok: the timeout branch leaves a goroutine behind that drains the answer.
func DrainOnTimeout(call func() int) int {
	ch := make(chan int)
	go func() {
		ch <- call()
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		go func() { <-ch }()
		return -1
	}
}
