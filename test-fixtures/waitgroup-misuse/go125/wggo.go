// Package go125 needs Go 1.25 (sync.WaitGroup.Go): kept out of the Go 1.19 build on purpose.
package go125

import "sync"

func Fanout(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
}
