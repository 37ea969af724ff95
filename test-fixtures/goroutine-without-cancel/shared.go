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
	go func() { // want "goroutine-without-cancel: Goroutine never ends: nothing closes 'transfer', which its range on line 17 waits on. .*close the channel there"
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

// The senders mark themselves done through a helper before they return (minio's network
// test): the wait is still where the channel belongs closed, but no fix is offered, since a
// send after the helper's Done would panic on a closed channel.
func TransferFinish(n int) int64 {
	var total int64
	transfer := make(chan int, n)
	go func() { // want "goroutine-without-cancel: Goroutine never ends: nothing closes 'transfer', which its range on line 40 waits on"
		for v := range transfer {
			atomic.AddInt64(&total, int64(v))
		}
	}()
	var wg sync.WaitGroup
	finish := func() { wg.Done() }
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			progress{ch: transfer}.report(i)
			finish()
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
