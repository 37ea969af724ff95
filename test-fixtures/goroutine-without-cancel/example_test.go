package goroutinewithoutcancel

import (
	"fmt"
	"time"
)

// ok: an Example with no Output comment is compiled, never run.
func ExampleWatchSignals() {
	go func() {
		for {
			time.Sleep(time.Second)
		}
	}()
}

// An Example with an Output comment runs, and its goroutine outlives it.
func ExampleStartReporter() {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 20 has no exit"
		for {
			time.Sleep(time.Second)
		}
	}()
	fmt.Println("started")
	// Output: started
}
