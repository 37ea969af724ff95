package goroutinewithoutcancel

import "sync/atomic"

// execQueue runs queued calls on one goroutine (go-ethereum's les.execQueue before its fix).
type execQueue struct {
	chn  chan func()
	stop int32
}

func newExecQueue(capacity int) *execQueue {
	q := &execQueue{chn: make(chan func(), capacity)}
	go q.loop() // want "goroutine-without-cancel: Goroutine outlives quit\\(\\): nothing closes 'chn', which loop ranges over"
	return q
}

func (q *execQueue) loop() {
	for f := range q.chn {
		if atomic.LoadInt32(&q.stop) != 0 {
			return
		}
		f()
	}
}

func (q *execQueue) queue(f func()) bool {
	if atomic.LoadInt32(&q.stop) != 0 {
		return false
	}
	q.chn <- f
	return true
}

// quit sets a flag the loop reads only after its next value, which never comes.
func (q *execQueue) quit() {
	atomic.StoreInt32(&q.stop, 1)
}

// ok: quit closes the channel, which ends the range.
type closingQueue struct {
	work chan func()
}

func newClosingQueue() *closingQueue {
	q := &closingQueue{work: make(chan func(), 4)}
	go q.loop()
	return q
}

func (q *closingQueue) loop() {
	for f := range q.work {
		f()
	}
}

func (q *closingQueue) queue(f func()) { q.work <- f }

func (q *closingQueue) quit() { close(q.work) }

// ok: quit sends a nil call, which the loop takes as its signal to return.
type sentinelQueue struct {
	tasks chan func()
}

func newSentinelQueue() *sentinelQueue {
	q := &sentinelQueue{tasks: make(chan func())}
	go q.loop()
	return q
}

func (q *sentinelQueue) loop() {
	for f := range q.tasks {
		if f == nil {
			return
		}
		f()
	}
}

func (q *sentinelQueue) queue(f func()) { q.tasks <- f }

func (q *sentinelQueue) Stop() { q.tasks <- nil }

// ok: another file of the package closes the channel (fieldloop_close.go).
type remoteQueue struct {
	calls chan func()
}

func newRemoteQueue() *remoteQueue {
	q := &remoteQueue{calls: make(chan func())}
	go q.loop()
	return q
}

func (q *remoteQueue) loop() {
	for f := range q.calls {
		f()
	}
}

func (q *remoteQueue) Close() { q.shutdown() }

// ok: no stop method; the queue lives as long as whoever feeds it (nothing says it should end).
type foreverQueue struct {
	funcs chan func()
}

func newForeverQueue() *foreverQueue {
	q := &foreverQueue{funcs: make(chan func())}
	go q.loop()
	return q
}

func (q *foreverQueue) loop() {
	for f := range q.funcs {
		f()
	}
}

// ok: the loop ranges over a slice field, which ends.
type batch struct {
	items []func()
}

func newBatch(items []func()) *batch {
	b := &batch{items: items}
	go b.run()
	return b
}

func (b *batch) run() {
	for _, f := range b.items {
		f()
	}
}

func (b *batch) Stop() {}
