package ownerneverstopped

import (
	"testing"
	"time"
)

// The consumers started here run on after the test.
func consumeNoStop(t testing.TB) {
	q := NewQueue(1) // want "owner-never-stopped: q is never stopped: its goroutines outlive the test \\(call q.Stop\\(\\)\\). q.StartConsumers\\(\\) on line 11 starts"
	q.StartConsumers(2, func(int) {})
	q.Produce(1)
}

// The constructor starts the goroutine; the error check comes first, then the stop.
func chainNoStop(t testing.TB) {
	c, err := NewChain() // want "owner-never-stopped: c is never stopped: .*NewChain\\(...\\) starts goroutines of Chain"
	if err != nil {
		t.Fatal(err)
	}
	if c.Height() != 0 {
		t.Error("height")
	}
}

// ok: stopped on the way out.
func consumeStopped(t testing.TB) {
	q := NewQueue(1)
	defer q.Stop()
	q.StartConsumers(2, func(int) {})
	q.Produce(1)
}

// ok: stopped by a cleanup.
func chainCleanup(t testing.TB) {
	c, err := NewChain()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
}

// ok: handed on to code that may stop it.
func chainHandedOn(t testing.TB) {
	c, _ := NewChain()
	register(t, c)
}

func register(t testing.TB, c *Chain) { t.Cleanup(c.Stop) }

// ok: never started, so nothing runs.
func queueIdle(t testing.TB) {
	q := NewQueue(1)
	q.Produce(1)
}

// A struct literal, started by a method.
func literalNoStop(t testing.TB) {
	q := &Queue{items: make(chan int, 1), quit: make(chan struct{})} // want "owner-never-stopped: q is never stopped"
	q.StartConsumers(1, func(int) {})
}

func newTestChain() *Chain {
	c, _ := NewChain()
	return c
}

// A test helper that returns a Chain counts as its constructor.
func helperNoStop(t testing.TB) {
	c := newTestChain() // want "owner-never-stopped: c is never stopped: .*newTestChain\\(...\\) starts goroutines of Chain"
	_ = c.Height()
}

// A benchmark makes one chain per turn: no defer fix inside the loop.
func benchNoStop(b testing.TB, n int) {
	for i := 0; i < n; i++ {
		c, err := NewChain() // want "owner-never-stopped: c is never stopped"
		if err != nil {
			b.Fatal(err)
		}
		_ = c.Height()
	}
}

// Used from a goroutine, still never stopped.
func usedInGoroutine(t testing.TB) {
	q := NewQueue(1) // want "owner-never-stopped: q is never stopped"
	q.StartConsumers(1, func(int) {})
	go func() { q.Produce(1) }()
}

// Started on one path only.
func startedConditionally(t testing.TB, start bool) {
	q := NewQueue(2) // want "owner-never-stopped: q is never stopped"
	if start {
		q.StartConsumers(1, func(int) {})
	}
}

// Shutdown is the stop method of Server.
func serverNoShutdown(t testing.TB) {
	s := NewServer() // want "owner-never-stopped: s is never stopped: its goroutines outlive the test \\(call s.Shutdown\\(\\)\\)"
	s.Start()
}

// Close takes an argument: reported, without a fix.
func poolNoClose(t testing.TB) {
	p := NewPool() // want "owner-never-stopped: p is never stopped: its goroutines outlive the test \\(call p.Close\\(\\)\\)"
	if p.done == nil {
		t.Fatal("no pool")
	}
}

// Two queues, one stopped.
func oneOfTwo(t testing.TB) {
	a := NewQueue(1)
	defer a.Stop()
	a.StartConsumers(1, func(int) {})
	b := NewQueue(1) // want "owner-never-stopped: b is never stopped"
	b.StartConsumers(1, func(int) {})
}

// The chain's height is read in a closure that runs later; still never stopped.
func readLater(t testing.TB) {
	c, err := NewChain() // want "owner-never-stopped: c is never stopped"
	if err != nil {
		t.Fatalf("chain: %v", err)
	}
	t.Cleanup(func() { _ = c.Height() })
}

// A second Server, started twice.
func serverTwice(t testing.TB) {
	s := NewServer() // want "owner-never-stopped: s is never stopped"
	s.Start()
	s.Start()
}

// ok: returned to the caller, who owns it.
func newStarted() *Queue {
	q := NewQueue(1)
	q.StartConsumers(1, func(int) {})
	return q
}

type harness struct{ q *Queue }

// ok: stored in a field of something else.
func storedInHarness(t testing.TB, h *harness) {
	q := NewQueue(1)
	q.StartConsumers(1, func(int) {})
	h.q = q
}

// ok: stopped in a deferred closure.
func stoppedInDeferredClosure(t testing.TB) {
	c, _ := NewChain()
	defer func() { c.Stop() }()
}

// ok: reassigned; which value is stopped is not followed.
func reassigned(t testing.TB) {
	q := NewQueue(1)
	q.StartConsumers(1, func(int) {})
	q = NewQueue(2)
	q.Stop()
}

// ok: the method value is handed to t.Cleanup.
func cleanupMethodValue(t testing.TB) {
	q := NewQueue(1)
	t.Cleanup(q.Stop)
	q.StartConsumers(1, func(int) {})
}

// ok: Worker has no stop method.
func workerStarted(t testing.TB) {
	w := &Worker{jobs: make(chan int)}
	w.Start()
}

// ok: a known miss: stopped on one path only, and any stop call silences the rule.
func stoppedOnError(t testing.TB) {
	c, _ := NewChain()
	if c.Height() != 0 {
		c.Stop()
		t.Fatal("height")
	}
}

// ok: the client's goroutines end with each request; Close has nothing to stop.
func clientNotClosed(t testing.TB) {
	c := NewClient()
	<-c.Wait()
}

// ok: the copier's goroutine ends once its finite source is consumed.
func copierNotClosed(t testing.TB) {
	c := NewCopier([]int{1, 2})
	out := make(chan int, 2)
	c.Run(out)
	<-out
	<-out
}

// ok: the hook's goroutine ends with the done channel the test closes, not with Shutdown.
func hookNotShutdown(t testing.TB) {
	h := &StatsHook{cancel: func() {}}
	done := make(chan struct{})
	h.Poststart(done)
	close(done)
}

// The consumers wait on a local copy of the field channel: still Ring's to stop.
func ringNoStop(t testing.TB) {
	r := NewRing(1) // want "owner-never-stopped: r is never stopped: its goroutines outlive the test \\(call r.Stop\\(\\)\\). r.StartConsumers\\(\\) on line"
	r.StartConsumers(1, func(int) {})
}

// Resize starts new consumers as it drains the old ones: the value still runs until Stop.
func ringResized(t testing.TB) {
	r := NewRing(1) // want "owner-never-stopped: r is never stopped"
	r.StartConsumers(1, func(int) {})
	r.Resize(2, func(int) {})
}

// An unexported method starts the loop; a test of the package calls it.
func tickerNoClose(t testing.TB) {
	tk := newTicker() // want "owner-never-stopped: tk is never stopped: its goroutines outlive the test \\(call tk.Close\\(\\)\\)"
	tk.background(time.Hour, func() {})
}

// ok: Kill also ends the loop, so Stop is not the only way out (the rule cannot tell which one the test owes).
func procNotStopped(t testing.TB) {
	p := NewProc()
	p.Start()
}

// ok: the test closes the channel the consumers wait on itself.
func ringClosedByHand(t testing.TB) {
	r := NewRing(1)
	r.StartConsumers(1, func(int) {})
	close(r.stopCh)
}

// ok: MaybeStart starts the loop only on some paths.
func lazyNotStopped(t testing.TB) {
	l := &Lazy{quit: make(chan struct{})}
	l.MaybeStart()
}

// ok: the loop waits on a channel a method hands back, not on a field.
func relayNotStopped(t testing.TB) {
	r := &Relay{quit: make(chan struct{})}
	r.Start()
}

// The backend's chain runs until Backend.Close: the test never calls it.
func backendNoClose(t testing.TB) {
	b := NewBackend() // want "owner-never-stopped: b is never stopped: its goroutines outlive the test \\(call b.Close\\(\\)\\). NewBackend\\(...\\) starts, through its field chain \\(made by NewChain\\), goroutines of Backend"
	if b.Height() != 0 {
		t.Error("height")
	}
}

// Through a test helper, as geth's simTestBackend.
func helperBackendNoClose(t testing.TB) {
	b := newTestBackend() // want "owner-never-stopped: b is never stopped: .*through its field chain"
	_ = b.Height()
}

// The node's engine comes from another package's constructor.
func nodeNoClose(t testing.TB) {
	n, err := NewNode() // want "owner-never-stopped: n is never stopped: .*through its field eng \\(made by engine.NewEngine\\)"
	if err != nil {
		t.Fatal(err)
	}
	if n.eng == nil {
		t.Error("no engine")
	}
}

// ok: closed.
func backendClosed(t testing.TB) {
	b := NewBackend()
	defer b.Close()
	_ = b.Height()
}

// ok: the test stops the field's owner itself, as geth's fix did.
func backendChainStopped(t testing.TB) {
	b := NewBackend()
	defer b.chain.Stop()
	_ = b.Height()
}

// ok: the store's queue was never started.
func storeNoClose(t testing.TB) {
	s := NewStore()
	s.q.Produce(1)
}

// ok: engine.Idle starts nothing.
func gateNoClose(t testing.TB) {
	g := NewGate()
	g.idle.Stop()
}

// ok: Detach also stops the hub's chain, so Close is not the only way out.
func hubNoClose(t testing.TB) {
	h := NewHub()
	_ = h.chain.Height()
}
