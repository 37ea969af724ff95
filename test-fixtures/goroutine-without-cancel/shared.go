package goroutinewithoutcancel

import (
	"sync"
	"sync/atomic"
)

type progress struct{ ch chan<- int }

func (p progress) report(n int) { p.ch <- n }

// The summing goroutine ranges over a channel that many senders share, and nobody closes it.
func Transfer(n int) int64 {
	var total int64
	transfer := make(chan int, n)
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 17 has no exit. The `range transfer` loop over a channel nothing closes"
		for v := range transfer {
			atomic.AddInt64(&total, int64(v))
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			progress{ch: transfer}.report(i)
		}(i)
	}
	wg.Wait()
	return atomic.LoadInt64(&total)
}

// ok: the owner closes the channel once every sender is done.
func TransferClosed(n int) int64 {
	var total int64
	transfer := make(chan int, n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := range transfer {
			atomic.AddInt64(&total, int64(v))
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			progress{ch: transfer}.report(i)
		}(i)
	}
	wg.Wait()
	close(transfer)
	<-done
	return atomic.LoadInt64(&total)
}

// ok: one helper gets the channel and may close it.
func TransferOnce(feed func(chan<- int)) int64 {
	var total int64
	transfer := make(chan int)
	go feed(transfer)
	for v := range transfer {
		total += int64(v)
	}
	return total
}
