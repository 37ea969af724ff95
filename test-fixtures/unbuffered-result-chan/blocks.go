package unbufferedresultchan

import "context"

// Two channels named resultC, in different blocks: each is followed in its own block.
func WaitState(ctx context.Context, stopped bool, stop <-chan struct{}) <-chan int {
	if stopped {
		resultC := make(chan int, 1)
		resultC <- 0
		return resultC
	}
	resultC := make(chan int) // want "unbuffered-result-chan: .*'resultC'"
	go func() {
		select {
		case <-ctx.Done():
		case <-stop:
		}
		resultC <- 1
	}()
	return resultC
}

// ok: each block's channel is received before the function returns.
func TwoBlocks(fast bool) int {
	if fast {
		ch := make(chan int)
		go func() { ch <- 1 }()
		return <-ch
	}
	ch := make(chan int)
	go func() { ch <- 2 }()
	return <-ch
}
