// Package engine: an owner of goroutines in another package, for owners that hold one.
package engine

import "time"

// Engine's loop runs from NewEngine until Stop.
type Engine struct{ quit chan struct{} }

func NewEngine() *Engine {
	e := &Engine{quit: make(chan struct{})}
	go e.loop()
	return e
}

func (e *Engine) loop() {
	for {
		select {
		case <-e.quit:
			return
		case <-time.After(time.Second):
		}
	}
}

func (e *Engine) Stop() { close(e.quit) }

// Idle starts nothing.
type Idle struct{ closed bool }

func NewIdle() *Idle { return &Idle{} }

func (i *Idle) Stop() { i.closed = true }
