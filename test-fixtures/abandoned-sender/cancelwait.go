package abandonedsender

import "context"

// The happy path cancels ctx before it receives: a send that gave up on ctx.Done() could
// drop the value it is about to wait for, so only the buffer is offered as a fix.
func CancelThenWait(prepare func() error, call func() int) (int, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan int) // want "abandoned-sender: Goroutine leaks if the function returns on line 15: its send on line 12 blocks forever"
	go func() {
		out <- call()
	}()
	if err := prepare(); err != nil {
		return 0, err
	}
	cancel()
	_ = ctx
	return <-out, nil
}
