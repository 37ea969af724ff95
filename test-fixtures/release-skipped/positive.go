// Package releaseskipped: a close the waiting goroutine needs, made at the end of the
// function, where an earlier return or t.Fatal never gets.
package releaseskipped

import (
	"errors"
	"log"
	"testing"
)

var errBad = errors.New("bad")

// The consumer ranges until progress is closed; the error return skips the close.
func Upload(parts []string, send func(string) error) error {
	progress := make(chan string)
	done := make(chan struct{})
	go func() {
		for p := range progress {
			log.Println("uploaded", p)
		}
		close(done)
	}()
	for _, p := range parts {
		if err := send(p); err != nil {
			return err
		}
		progress <- p
	}
	close(progress) // want "release-skipped: Goroutine leaks if the function returns on line 25: close\\(progress\\) on line 29 is skipped"
	<-done
	return nil
}

// A waiter parked on <-stop; the early return leaves it parked.
func Serve(handle func() error) error {
	stop := make(chan struct{})
	go func() {
		<-stop
		log.Println("stopping")
	}()
	if err := handle(); err != nil {
		return err
	}
	close(stop) // want "release-skipped: Goroutine leaks if the function returns on line 42: close\\(stop\\) on line 44 is skipped"
	return nil
}

// The test stops at t.Fatal before the close at its end.
func CheckCancelled(t testing.TB, upload func() error) {
	progress := make(chan int)
	go func() {
		for range progress {
		}
	}()
	if err := upload(); !errors.Is(err, errBad) {
		t.Fatal("expected the upload to fail")
	}
	close(progress) // want "release-skipped: Goroutine leaks if the test stops on line 56: close\\(progress\\) on line 58 is skipped.*only once the test has failed"
}

// require-style helpers stop the test too.
func CheckStaged(t testing.TB, stage func() error, require func(testing.TB, error)) {
	wait := make(chan struct{})
	go func() {
		<-wait
	}()
	if err := stage(); err != nil {
		t.Fatalf("stage: %v", err)
	}
	close(wait) // want "release-skipped: Goroutine leaks if the test stops on line 68: close\\(wait\\) on line 70 is skipped.*only once the test has failed"
}

// A buffered channel still needs its close for the range to end.
func Drain(items []int, ok func(int) bool) bool {
	ch := make(chan int, 4)
	go func() {
		for v := range ch {
			log.Println(v)
		}
	}()
	for _, it := range items {
		if !ok(it) {
			return false
		}
		ch <- it
	}
	close(ch) // want "release-skipped: Goroutine leaks if the function returns on line 83: close\\(ch\\) on line 87 is skipped"
	return true
}

// The close is the last statement: the fix defers it right after the make.
func Notify(ready func() bool) {
	quit := make(chan struct{})
	go func() {
		<-quit
		log.Println("quit")
	}()
	if !ready() {
		return
	}
	log.Println("ready")
	close(quit) // want "release-skipped: Goroutine leaks if the function returns on line 99: close\\(quit\\) on line 102 is skipped"
}

// A goroutine started with the channel as an argument.
func Pipe(lines []string, bad func(string) bool) error {
	out := make(chan string)
	go func(in <-chan string) {
		for l := range in {
			log.Println(l)
		}
	}(out)
	for _, l := range lines {
		if bad(l) {
			return errBad
		}
		out <- l
	}
	close(out) // want "release-skipped: Goroutine leaks if the function returns on line 115: close\\(out\\) on line 119 is skipped"
	return nil
}

// A return in a switch case.
func Dispatch(kind string) {
	done := make(chan bool)
	go func() {
		<-done
	}()
	switch kind {
	case "skip":
		return
	}
	close(done) // want "release-skipped: Goroutine leaks if the function returns on line 131: close\\(done\\) on line 133 is skipped"
}

// Only the later exit skips it; the earlier one closes first, the later one does not.
func Mixed(a, b bool) {
	sig := make(chan struct{})
	go func() {
		<-sig
	}()
	if a {
		close(sig)
		return
	}
	if b {
		return
	}
	close(sig) // want "release-skipped: Goroutine leaks if the function returns on line 147: close\\(sig\\) on line 149 is skipped"
}

// A method.
type Server struct{ log func(string) }

func (s *Server) Run(step func() error) error {
	events := make(chan string)
	go func() {
		for e := range events {
			s.log(e)
		}
	}()
	if err := step(); err != nil {
		return err
	}
	events <- "stepped"
	close(events) // want "release-skipped: Goroutine leaks if the function returns on line 163: close\\(events\\) on line 166 is skipped"
	return nil
}

// A function literal that closes at its end.
var Worker = func(fail bool) {
	jobs := make(chan int)
	go func() {
		for range jobs {
		}
	}()
	if fail {
		return
	}
	jobs <- 1
	close(jobs) // want "release-skipped: Goroutine leaks if the function returns on line 178: close\\(jobs\\) on line 181 is skipped"
}

// FailNow directly.
func CheckNow(t testing.TB, ok bool) {
	gate := make(chan struct{})
	go func() {
		<-gate
	}()
	if !ok {
		t.FailNow()
	}
	close(gate) // want "release-skipped: Goroutine leaks if the test stops on line 191: close\\(gate\\) on line 193 is skipped.*only once the test has failed"
}

// The channel is handed to the producer; the test still owns the close, and t.Fatalf skips it.
func CheckProgress(t testing.TB, upload func(chan<- int) error) {
	progress := make(chan int)
	done := make(chan struct{})
	go func() {
		for range progress {
		}
		close(done)
	}()
	if err := upload(progress); err != nil {
		t.Fatalf("upload: %v", err)
	}
	close(progress) // want "release-skipped: Goroutine leaks if the test stops on line 206: close\\(progress\\) on line 208 is skipped"
	<-done
}
