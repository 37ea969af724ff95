package releaseskipped

import (
	"context"
	"log"
	"testing"
)

// ok: the close is deferred.
func Deferred(parts []string, send func(string) error) error {
	progress := make(chan string)
	defer close(progress)
	go func() {
		for p := range progress {
			log.Println(p)
		}
	}()
	for _, p := range parts {
		if err := send(p); err != nil {
			return err
		}
		progress <- p
	}
	return nil
}

// ok: every exit closes first.
func ClosesOnEveryPath(handle func() error) error {
	stop := make(chan struct{})
	go func() {
		<-stop
	}()
	if err := handle(); err != nil {
		close(stop)
		return err
	}
	close(stop)
	return nil
}

// ok: no exit between the goroutine and the close.
func Straight(items []int) {
	ch := make(chan int)
	go func() {
		for range ch {
		}
	}()
	for _, it := range items {
		ch <- it
	}
	close(ch)
}

// ok: the return comes before the goroutine starts.
func EarlyBeforeGo(ok bool) {
	done := make(chan struct{})
	if !ok {
		return
	}
	go func() {
		<-done
	}()
	close(done)
}

// ok: the goroutine's receive can also end on ctx.
func WaitsWithContext(ctx context.Context, step func() error) error {
	stop := make(chan struct{})
	go func() {
		select {
		case <-stop:
		case <-ctx.Done():
		}
	}()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

// ok: the function sends a value the receive takes; the close is not what it waits for.
func SendThenClose(ok bool) {
	result := make(chan int)
	go func() {
		log.Println(<-result)
	}()
	result <- 1
	if !ok {
		return
	}
	close(result)
}

// ok: the goroutine closes the channel, not the function.
func GoroutineCloses(items []int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	n := 0
	for range ch {
		n++
	}
	return n
}

// ok: the channel is stored where someone else may close it.
type Registry struct{ quit chan struct{} }

func (r *Registry) HandsOver(ok bool) {
	quit := make(chan struct{})
	r.quit = quit
	go func() {
		<-quit
	}()
	if !ok {
		return
	}
	close(quit)
}

// ok: the return is inside a closure, not the function's own.
func ReturnInClosure(each func(func(int) bool)) {
	ch := make(chan int)
	go func() {
		for range ch {
		}
	}()
	each(func(v int) bool {
		if v < 0 {
			return false
		}
		ch <- v
		return true
	})
	close(ch)
}

// ok: t.Error does not stop the test.
func ErrorOnly(t testing.TB, ok bool) {
	gate := make(chan struct{})
	go func() {
		<-gate
	}()
	if !ok {
		t.Error("not ok")
	}
	close(gate)
}

// ok: log.Fatal ends the process, goroutine and all.
func FatalEndsAll(ok bool) {
	gate := make(chan struct{})
	go func() {
		<-gate
	}()
	if !ok {
		log.Fatal("not ok")
	}
	close(gate)
}

// ok: the close comes in a t.Cleanup, which runs even after t.Fatal.
func Cleanup(t testing.TB, ok bool) {
	progress := make(chan int)
	t.Cleanup(func() { close(progress) })
	go func() {
		for range progress {
		}
	}()
	if !ok {
		t.Fatal("not ok")
	}
}
