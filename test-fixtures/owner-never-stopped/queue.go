// Package ownerneverstopped: values whose goroutines run until they are stopped.
package ownerneverstopped

import "time"

// Queue's consumers run until Stop.
type Queue struct {
	items chan int
	quit  chan struct{}
}

func NewQueue(size int) *Queue {
	return &Queue{items: make(chan int, size), quit: make(chan struct{})}
}

// StartConsumers starts n goroutines that consume until Stop.
func (q *Queue) StartConsumers(n int, consume func(int)) {
	for i := 0; i < n; i++ {
		go func() {
			for {
				select {
				case v := <-q.items:
					consume(v)
				case <-q.quit:
					return
				}
			}
		}()
	}
}

func (q *Queue) Produce(v int) { q.items <- v }

func (q *Queue) Stop() { close(q.quit) }

// Chain starts its update loop as soon as it is made.
type Chain struct{ quit chan struct{} }

func NewChain() (*Chain, error) {
	c := &Chain{quit: make(chan struct{})}
	go c.update()
	return c, nil
}

func (c *Chain) update() {
	for {
		select {
		case <-c.quit:
			return
		case <-time.After(time.Second):
		}
	}
}

func (c *Chain) Height() int { return 0 }

func (c *Chain) Stop() { close(c.quit) }

// Server serves until Shutdown.
type Server struct{ done chan struct{} }

func NewServer() *Server { return &Server{done: make(chan struct{})} }

func (s *Server) Start() {
	go func() {
		for {
			select {
			case <-s.done:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (s *Server) Shutdown() { close(s.done) }

// Pool's Close takes a timeout, so no fix can be written for it.
type Pool struct{ done chan struct{} }

func NewPool() *Pool {
	p := &Pool{done: make(chan struct{})}
	go func() {
		for range p.done {
		}
	}()
	return p
}

func (p *Pool) Close(timeoutMs int) { close(p.done) }

// Client starts a one-shot goroutine per request: it ends with the request, not with Close.
type Client struct{ closed bool }

func NewClient() *Client { return &Client{} }

func (c *Client) Wait() <-chan int {
	ch := make(chan int, 1)
	go func() { ch <- 0 }()
	return ch
}

func (c *Client) Close() { c.closed = true }

// Worker starts a goroutine but has no way to stop it: not an owner this rule can speak for.
type Worker struct{ jobs chan int }

func (w *Worker) Start() { go func() { <-w.jobs }() }

// ok: outside tests, a value like this usually lives as long as the process.
func Pipeline() {
	q := NewQueue(1)
	q.StartConsumers(1, func(int) {})
}

// Copier's goroutine ends when its source runs dry: Close is not what ends it.
type Copier struct {
	src    []int
	closed chan struct{}
}

func NewCopier(src []int) *Copier { return &Copier{src: src, closed: make(chan struct{})} }

func (c *Copier) Run(out chan<- int) {
	go func() {
		for _, v := range c.src {
			select {
			case out <- v:
			case <-c.closed:
				return
			}
		}
	}()
}

func (c *Copier) Close() { close(c.closed) }

// StatsHook's collector ends when Exited or Shutdown cancels it, or when the caller's ctx ends.
type StatsHook struct{ cancel func() }

func (h *StatsHook) Poststart(done <-chan struct{}) {
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (h *StatsHook) Exited() { h.cancel() }

func (h *StatsHook) Shutdown() { h.cancel() }
