// Package waitgroupmisuse holds the cases waitgroup-misuse must report.
package waitgroupmisuse

import (
	"errors"
	"net/http"
	"sync"
)

func fetch(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Add inside the goroutine it accounts for, in a loop.
func AddInside(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		go func(u string) {
			wg.Add(1) // want "waitgroup-misuse: wg\\.Add runs inside the goroutine it counts: Wait can return before it starts"
			defer wg.Done()
			_ = fetch(u)
		}(u)
	}
	wg.Wait()
}

// Add inside the goroutine, no loop.
func AddInsideOnce() {
	wg := &sync.WaitGroup{}
	go func() {
		wg.Add(1) // want "waitgroup-misuse: wg\\.Add runs inside the goroutine it counts: Wait can return before it starts"
		_ = fetch("a")
		wg.Done()
	}()
	wg.Wait()
}

// A return skips Done.
func ReturnBeforeDone(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) { // want "waitgroup-misuse: wg\\.Wait blocks forever if the return on line 50 skips wg\\.Done"
			resp, err := http.Get(u)
			if err != nil {
				return
			}
			resp.Body.Close()
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// A panic that the goroutine itself recovers skips Done: the goroutine ends, the program goes on, and Wait blocks.
func RecoveredPanicBeforeDone(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want "waitgroup-misuse: .*the recovered panic on line 66 skips it"
		defer func() { _ = recover() }()
		if n < 0 {
			panic("negative")
		}
		wg.Done()
	}()
	wg.Wait()
}

// Done only on one branch.
func DoneInBranch(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want "waitgroup-misuse: wg\\.Wait can block forever: this goroutine calls Done only on some paths"
		if ok {
			wg.Done()
		}
	}()
	wg.Wait()
}

// No Done at all.
func NoDone(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func(job func()) { // want "waitgroup-misuse: Goroutine never calls wg\\.Done: wg\\.Wait blocks forever"
			job()
		}(job)
	}
	wg.Wait()
}

// Passed by value to a function.
func worker(id int, wg sync.WaitGroup) { // want "waitgroup-misuse: sync.WaitGroup 'wg' is passed by value"
	defer wg.Done()
	_ = id
}

func StartWorkers() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(i, wg)
	}
	wg.Wait()
}

// Passed by value to a goroutine literal.
func ByValueLiteral() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(wg sync.WaitGroup) { // want "waitgroup-misuse: sync.WaitGroup 'wg' is passed by value"
		defer wg.Done()
	}(wg)
	wg.Wait()
}

type Pool struct {
	wg   sync.WaitGroup
	jobs chan func()
}

// Passed by value to a method: reported, but no fix (call sites cannot be found reliably).
func (p *Pool) run(wg sync.WaitGroup) { // want "waitgroup-misuse: sync.WaitGroup 'wg' is passed by value"
	wg.Wait()
}

// A struct field WaitGroup, Add inside the goroutine.
func (p *Pool) Submit(job func()) {
	go func() {
		p.wg.Add(1) // want "waitgroup-misuse: p\\.wg\\.Add runs inside the goroutine it counts: Wait can return before it starts"
		defer p.wg.Done()
		job()
	}()
}

// Add(3) for two goroutines.
func CountTooHigh() {
	var wg sync.WaitGroup
	wg.Add(3) // want "waitgroup-misuse: wg\\.Add\\(3\\) but 2 goroutines started: Wait blocks forever"
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Add(1) for two goroutines.
func CountTooLow() {
	var wg sync.WaitGroup
	wg.Add(1) // want "waitgroup-misuse: wg\\.Add\\(1\\) but 2 goroutines started: the counter goes negative.*negative"
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

// A return inside a loop skips Done.
func LoopReturn(items []int) error {
	var wg sync.WaitGroup
	var firstErr error
	wg.Add(1)
	go func() { // want "waitgroup-misuse: .*the return on line 168 skips it"
		for _, it := range items {
			if it < 0 {
				firstErr = errors.New("negative")
				return
			}
		}
		wg.Done()
	}()
	wg.Wait()
	return firstErr
}

// Generic fan-out with a skipped Done.
func Map[T, R any](in []T, f func(T) (R, error)) []R {
	out := make([]R, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func(i int, v T) { // want "waitgroup-misuse: .*the return on line 186 skips it"
			r, err := f(v)
			if err != nil {
				return
			}
			out[i] = r
			wg.Done()
		}(i, v)
	}
	wg.Wait()
	return out
}
