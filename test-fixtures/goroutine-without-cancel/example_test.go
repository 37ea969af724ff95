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
	go func() { // want "goroutine-without-cancel: This goroutine never ends"
		for {
			time.Sleep(time.Second)
		}
	}()
	fmt.Println("started")
	// Output: started
}
