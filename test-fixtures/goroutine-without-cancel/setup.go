package goroutinewithoutcancel

import "time"

// StartDaemon runs its one-time setup, whose reloader loops for the life of the process
// (moby's setupConfigReloadTrap, minio's initDataScanner): reported as Information.
func StartDaemon(reload func()) {
	setupReloader(reload)
}

func setupReloader(reload func()) {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 13 has no exit. .*runs for the life of the process if setupReloader runs once \\(the package calls it only on line 8\\); each further call"
		for {
			time.Sleep(10 * time.Millisecond)
			reload()
		}
	}()
}

// The package sets a watcher up twice: every call leaves one more goroutine.
func StartTwoWatchers(poll func()) {
	setupWatcher(poll)
	setupWatcher(poll)
}

func setupWatcher(poll func()) {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 28 has no exit. .* so every call leaves one more goroutine running"
		for {
			time.Sleep(10 * time.Millisecond)
			poll()
		}
	}()
}

// One call, but one endless goroutine per item.
func StartPollers(items []func()) {
	initPollers(items)
}

func initPollers(items []func()) {
	for _, f := range items {
		f := f
		go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 44 has no exit. .* so every call leaves one more goroutine running"
			for {
				time.Sleep(10 * time.Millisecond)
				f()
			}
		}()
	}
}

// Set up from another file (setup_caller.go), once.
func (d *daemon) setupFlusher() {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 55 has no exit. .*if setupFlusher runs once \\(the package calls it only on line 11 of setup_caller.go\\)"
		for {
			time.Sleep(10 * time.Millisecond)
			d.flush()
		}
	}()
}
