package goroutinewithoutcancel

import (
	"context"
	"log"
	"os"
	"time"
)

// ok: the loop selects on ctx.Done and returns.
func Cancellable(ctx context.Context, ch chan int) {
	go func() {
		for {
			select {
			case v := <-ch:
				log.Println(v)
			case <-ctx.Done():
				return
			}
		}
	}()
}

// ok: a done channel ends it.
func WithDone(done <-chan struct{}, ch chan int) {
	go func() {
		for {
			select {
			case <-ch:
			case <-done:
				return
			}
		}
	}()
}

// ok: bounded work.
func Bounded(items []int) {
	go func() {
		for _, it := range items {
			log.Println(it)
		}
	}()
}

// ok: the function closes the channel the goroutine ranges over.
func Closed(items []int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			log.Println(v)
		}
	}()
	for _, it := range items {
		ch <- it
	}
	close(ch)
}

// ok: a channel parameter: whoever owns it may close it.
func Param(ch <-chan int) {
	go func() {
		for v := range ch {
			log.Println(v)
		}
	}()
}

// ok: break leaves the loop.
func Breaks(ch chan int) {
	go func() {
		for {
			v := <-ch
			if v < 0 {
				break
			}
		}
	}()
}

// ok: a counted loop.
func Counted(n int) {
	go func() {
		for i := 0; i < n; i++ {
			time.Sleep(time.Millisecond)
		}
	}()
}

// ok: a labelled break from inside a select.
func LabelledBreak(ch chan int) {
	go func() {
	Loop:
		for {
			select {
			case v, ok := <-ch:
				if !ok {
					break Loop
				}
				log.Println(v)
			}
		}
	}()
}

// ok: returns on error.
func ReturnsOnError(read func() error) {
	go func() {
		for {
			if err := read(); err != nil {
				return
			}
		}
	}()
}

// ok: waits on a context the function itself cancels.
func OwnContext() context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-ctx.Done()
		log.Println("stopped")
	}()
	return cancel
}

func pollUntil(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// ok: a named function that can return.
func StartPollUntil(ctx context.Context) {
	go pollUntil(ctx)
}

// ok: a ticker loop that returns on cancellation.
func TickerWithExit(ctx context.Context) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			}
		}
	}()
}

// ok: the loop ends the process.
func FatalLoop(check func() bool) {
	go func() {
		for {
			if !check() {
				os.Exit(1)
			}
		}
	}()
}

// ok: the channel is returned; the caller may close it.
func ReturnedChan() chan<- int {
	jobs := make(chan int)
	go func() {
		for j := range jobs {
			log.Println(j)
		}
	}()
	return jobs
}
