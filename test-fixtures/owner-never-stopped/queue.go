// Package ownerneverstopped: values whose goroutines run until they are stopped.
package ownerneverstopped

import (
	"time"

	"example.com/fixtures/owner-never-stopped/engine"
)

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

// Ring's consumers wait on a local copy of the items channel (`queue := *r.items`) and on
// stopCh; Stop closes both. Resize closes the old channel but starts new consumers: a
// restart, not a stop.
type Ring struct {
	items  *chan int
	stopCh chan struct{}
}

func NewRing(size int) *Ring {
	items := make(chan int, size)
	return &Ring{items: &items, stopCh: make(chan struct{})}
}

// StartConsumers starts its goroutines through startWith.
func (r *Ring) StartConsumers(n int, consume func(int)) {
	r.startWith(n, consume)
}

func (r *Ring) startWith(n int, consume func(int)) {
	for i := 0; i < n; i++ {
		go func() {
			queue := *r.items
			for {
				select {
				case v, ok := <-queue:
					if !ok {
						return
					}
					consume(v)
				case <-r.stopCh:
					return
				}
			}
		}()
	}
}

func (r *Ring) Resize(size int, consume func(int)) {
	previous := *r.items
	items := make(chan int, size)
	r.items = &items
	r.startWith(1, consume)
	close(previous)
}

func (r *Ring) Stop() {
	close(r.stopCh)
	close(*r.items)
}

// Ticker's background loop is started by an unexported method a test of the package can call.
type Ticker struct{ stopCh chan struct{} }

func newTicker() *Ticker { return &Ticker{stopCh: make(chan struct{})} }

func (t *Ticker) background(every time.Duration, f func()) {
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				f()
			case <-t.stopCh:
				return
			}
		}
	}()
}

func (t *Ticker) Close() error {
	close(t.stopCh)
	return nil
}

// Proc's loop also ends when Kill closes its quit channel (through a local copy): Stop is
// not the only way out.
type Proc struct{ quit chan struct{} }

func NewProc() *Proc { return &Proc{quit: make(chan struct{})} }

func (p *Proc) Start() {
	go func() {
		for {
			select {
			case <-p.quit:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (p *Proc) Kill() {
	q := p.quit
	close(q)
}

func (p *Proc) Stop() { close(p.quit) }

// Lazy starts its loop only when asked to and enabled: a start on some paths is not a start.
type Lazy struct {
	on   bool
	quit chan struct{}
}

func (l *Lazy) MaybeStart() {
	if l.on {
		l.run()
	}
}

func (l *Lazy) run() {
	go func() {
		for {
			select {
			case <-l.quit:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (l *Lazy) Stop() { close(l.quit) }

// Relay's loop reads a channel a method hands back, not a field: which channel it is, and
// who closes it, is not known from syntax.
type Relay struct{ quit chan struct{} }

func (r *Relay) source() chan struct{} { return r.quit }

func (r *Relay) Start() {
	go func() {
		src := r.source()
		for {
			select {
			case <-src:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (r *Relay) Stop() { close(r.quit) }

// Backend's goroutines are its chain's: NewBackend makes a started Chain, Close stops it.
type Backend struct{ chain *Chain }

func NewBackend() *Backend {
	c, _ := NewChain()
	return &Backend{chain: c}
}

func newTestBackend() *Backend { return NewBackend() }

func (b *Backend) Height() int { return b.chain.Height() }

func (b *Backend) Close() error {
	b.chain.Stop()
	return nil
}

// Node holds an Engine of another package, made by engine.NewEngine; Close stops it.
type Node struct{ eng *engine.Engine }

func NewNode() (*Node, error) {
	n := &Node{}
	n.eng = engine.NewEngine()
	return n, nil
}

func (n *Node) Close() {
	if n.eng != nil {
		n.eng.Stop()
	}
}

// Store holds a Queue nobody started, and a Gate holds an engine.Idle: nothing runs in either.
type Store struct{ q *Queue }

func NewStore() *Store { return &Store{q: NewQueue(1)} }

func (s *Store) Close() { s.q.Stop() }

type Gate struct{ idle *engine.Idle }

func NewGate() *Gate { return &Gate{idle: engine.NewIdle()} }

func (g *Gate) Close() { g.idle.Stop() }

// Hub's chain is also stopped by Detach: Close is not the only way to end it.
type Hub struct{ chain *Chain }

func NewHub() *Hub {
	c, _ := NewChain()
	return &Hub{chain: c}
}

func (h *Hub) Detach() { h.chain.Stop() }

func (h *Hub) Close() { h.chain.Stop() }
