package releaseskipped

import (
	"errors"
	"time"
)

// Processor's calculation loop ends only when shutdown is closed.
type Processor struct {
	shutdown chan struct{}
	election func() error
}

func (p *Processor) Start() {
	p.shutdown = make(chan struct{})
	go p.runCalculationLoop()
}

func (p *Processor) runCalculationLoop() {
	for {
		select {
		case <-time.After(time.Second):
		case <-p.shutdown:
			return
		}
	}
}

// Close gives up when the election fails, before the loop is told to stop.
func (p *Processor) Close() error {
	if err := p.election(); err != nil {
		return err
	}
	close(p.shutdown) // want "release-skipped: Goroutines leak when Close returns on line 32: close\\(p.shutdown\\) is skipped"
	return nil
}

// Poller is the same, with the close first.
type Poller struct {
	quit     chan struct{}
	election func() error
}

func (p *Poller) Start() {
	p.quit = make(chan struct{})
	go p.poll()
}

func (p *Poller) poll() {
	for {
		select {
		case <-time.After(time.Second):
		case <-p.quit:
			return
		}
	}
}

// ok: the loop is released before anything can fail.
func (p *Poller) Close() error {
	close(p.quit)
	if err := p.election(); err != nil {
		return err
	}
	return nil
}

// Buffer closes a channel that no goroutine of its own waits on.
type Buffer struct{ out chan int }

// ok: nothing of Buffer's loops on out.
func (b *Buffer) Close() error {
	if b.out == nil {
		return errors.New("not started")
	}
	close(b.out)
	return nil
}

// Daemon guards a second Close with a flag it sets when it closes.
type Daemon struct {
	quit   chan struct{}
	closed bool
}

func (d *Daemon) Start() {
	d.quit = make(chan struct{})
	go d.serve()
}

func (d *Daemon) serve() {
	for {
		select {
		case <-time.After(time.Second):
		case <-d.quit:
			return
		}
	}
}

// ok: the early return is for a second call, after the first one closed quit.
func (d *Daemon) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	close(d.quit)
	return nil
}
