package goroutinewithoutcancel

import (
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/urfave/cli/v2"
)

// ok: a CLI command's action runs once per process; its sampler lives as long as the command.
func ImportChain(c *cli.Context) error {
	go func() {
		for {
			log.Println("memory sample")
			time.Sleep(5 * time.Second)
		}
	}()
	return nil
}

var cleanerOnce sync.Once

// ok: sync.Once starts at most one cleaner per process.
func StartCleaner(evict func()) {
	cleanerOnce.Do(func() {
		go func() {
			for {
				time.Sleep(time.Minute)
				evict()
			}
		}()
	})
}

// ok: the function itself serves until the process ends, so its reporter cannot pile up.
func ServeWithStats(addr string, report func()) error {
	go func() {
		for {
			time.Sleep(time.Second)
			report()
		}
	}()
	return http.ListenAndServe(addr, nil)
}

// WatchSignals runs for the lifetime of the process: it is started once, by the daemon.
//
// ok: the doc comment says it lives as long as the process.
func WatchSignals(on func()) {
	go func() {
		for {
			time.Sleep(time.Second)
			on()
		}
	}()
}

// ok: the function waits for the goroutine, so the goroutine cannot outlive it (an endless
// loop here hangs the caller instead; that is no leak).
func Stress(work func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			work()
		}
	}()
	wg.Wait()
}

// Done is deferred but nothing waits: every call leaves one more goroutine.
func StressNoWait(work func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 80 has no exit"
		defer wg.Done()
		for {
			work()
		}
	}()
}

// StartReporter reports every second.
//
// A doc comment that says nothing about the process's lifetime changes nothing.
func StartReporter(report func()) {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 91 has no exit"
		for {
			time.Sleep(time.Second)
			report()
		}
	}()
}

var perCall sync.Mutex

// A goroutine under a Lock, not a Once: one more per call.
func StartLocked(report func()) {
	perCall.Lock()
	defer perCall.Unlock()
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 105 has no exit"
		for {
			time.Sleep(time.Second)
			report()
		}
	}()
}
