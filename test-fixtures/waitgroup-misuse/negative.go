package waitgroupmisuse

import (
	"log"
	"sync"
)

// ok: defer Done first.
func Deferred(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			_ = fetch(u)
		}(u)
	}
	wg.Wait()
}

// ok: Done at the end with no way around it.
func DoneAtEnd() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		_ = fetch("x")
		wg.Done()
	}()
	wg.Wait()
}

func pointerWorker(wg *sync.WaitGroup) {
	defer wg.Done()
}

// ok: passed by pointer to a worker.
func ByPointer() {
	var wg sync.WaitGroup
	wg.Add(2)
	go pointerWorker(&wg)
	go pointerWorker(&wg)
	wg.Wait()
}

// ok: a literal that hands the WaitGroup on.
func HandsOn() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		pointerWorker(&wg)
	}()
	wg.Wait()
}

// ok: the count matches.
func CountMatches() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

// ok: a computed count.
func Computed(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for range items {
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

// ok: Done on both branches.
func BothBranches(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			wg.Done()
		} else {
			wg.Done()
		}
	}()
	wg.Wait()
}

// ok: Done inside a deferred closure.
func DeferredClosure() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer func() {
			_ = recover()
			wg.Done()
		}()
		panic("boom")
	}()
	wg.Wait()
}

type Group struct {
	wg sync.WaitGroup
}

// ok: the WaitGroup lives in a struct used by pointer.
func (g *Group) Go(f func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		f()
	}()
}

// ok: the goroutine has a WaitGroup of its own.
func OwnGroup() {
	go func() {
		var inner sync.WaitGroup
		inner.Add(1)
		go func() { defer inner.Done() }()
		inner.Wait()
	}()
}

func helper(wg *sync.WaitGroup) { go func() { defer wg.Done() }() }

// ok: a helper starts more goroutines between Add and Wait: the count cannot be known.
func HelperBetween() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	helper(&wg)
	wg.Wait()
}

// ok: a goroutine unrelated to the WaitGroup.
func Unrelated(done chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	go func() { close(done) }()
	wg.Wait()
}

// ok: each work item is counted, and Done is called once per item inside the loop.
func PerItem(reqs chan bool, wg *sync.WaitGroup) {
	for i := 0; i < 4; i++ {
		go func() {
			for range reqs {
				if fetch("x") != nil {
					wg.Done()
					continue
				}
				wg.Done()
			}
		}()
	}
}

// ok: the goroutine counts the goroutines it starts itself; it is counted before it starts.
func Nested(ch chan int) {
	var done sync.WaitGroup
	done.Add(1)
	go func() {
		defer done.Done()
		for i := 0; i < 3; i++ {
			done.Add(1)
			go func() {
				<-ch
				done.Done()
			}()
		}
	}()
	done.Wait()
}

// ok: a panic nothing recovers ends the program, so no Wait is left blocked.
func PanicBeforeDone(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if n < 0 {
			panic("negative")
		}
		wg.Done()
	}()
	wg.Wait()
}

// ok: log.Fatal ends the program too.
func FatalBeforeDone(paths []string) {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func(p string) {
			if p == "" {
				log.Fatal("empty path")
			}
			wg.Done()
		}(p)
	}
	wg.Wait()
}

// ok: the goroutine marks itself done through a local helper (minio's network test).
func DoneThroughHelper(n int) {
	var wg sync.WaitGroup
	finish := func() { wg.Done() }
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			finish()
		}()
	}
	wg.Wait()
}
