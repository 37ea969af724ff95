package abandonedsender

import (
	"context"
	"sync"
	"time"
)

// ok: buffered, the late send lands in the buffer.
func BufferedTimeout() int {
	ch := make(chan int, 1)
	go func() { ch <- slowCall() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		return -1
	}
}

// ok: received unconditionally.
func Plain() int {
	ch := make(chan int)
	go func() { ch <- slowCall() }()
	return <-ch
}

// ok: one receive per sender.
func Gather(items []int) int {
	ch := make(chan int)
	for _, it := range items {
		go func(v int) { ch <- v * 2 }(it)
	}
	total := 0
	for range items {
		total += <-ch
	}
	return total
}

// ok: drained with range after the senders finish.
func Drain(items []int) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(v int) {
			defer wg.Done()
			ch <- v
		}(it)
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}

// ok: the sender gives up when the context ends.
func SenderSelects(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- slowCall():
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// ok: the loop comes back to the receive after a tick.
func Heartbeat() int {
	ch := make(chan int)
	go func() { ch <- slowCall() }()
	for {
		select {
		case v := <-ch:
			return v
		case <-time.After(time.Millisecond):
			println("still waiting")
		}
	}
}

// ok: returns before the goroutine is started.
func EarlyBeforeGo(s string) int {
	if s == "" {
		return 0
	}
	ch := make(chan int)
	go func() { ch <- len(s) }()
	return <-ch
}

// ok: returned: that is unbuffered-result-chan's business, not ours.
func Returned() chan int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		default:
		}
	}()
	return ch
}

func forward(ch chan int) { <-ch }

// ok: handed to another function, which may receive.
func Escapes() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	forward(ch)
}

// ok: two senders, two receives.
func Pair() (int, int) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	go func() { ch <- 2 }()
	return <-ch, <-ch
}

// ok: the receive comes first, the return after it.
func ReturnAfter(s string) (int, error) {
	ch := make(chan int)
	go func() { ch <- len(s) }()
	n := <-ch
	if n == 0 {
		return 0, errTimeout
	}
	return n, nil
}

// ok: the goroutine receives, the function sends (the other direction).
func Reverse() {
	ch := make(chan int)
	go func() { <-ch }()
	ch <- 1
}

// ok: a loop that starts exactly two senders, and two receives.
func TwoWorkers() (int, int) {
	done := make(chan int)
	for i := 0; i < 2; i++ {
		go func(i int) { done <- i }(i)
	}
	return <-done, <-done
}
