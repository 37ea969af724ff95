package discardedresultchan

import (
	"context"

	"example.com/fixtures/discarded-result-chan/other"
)

type service struct {
	errc chan error
	rec  *Recognizer
}

// ok: the result is received.
func receives() error {
	return <-Start()
}

// ok: kept and received later.
func keeps() error {
	ch := Start()
	return <-ch
}

// ok: another package's function, unknown to this one-package harness (the CLI and editor follow imports: see crosspkg).
func otherPackage() {
	other.Start()
}

// ok: receiver type unknown (a call result).
func unknownReceiver() {
	getRec().StartAsync()
}

func getRec() *Recognizer { return &Recognizer{} }

// ok: a method of the same name on a type whose channel is buffered.
func otherType() {
	var t Timer
	t.StartAsync()
}

// ok: received in a goroutine.
func receivedInGoroutine() {
	go func() { <-Start() }()
}

// ok: received in a select.
func inSelect(ctx context.Context) {
	select {
	case <-Start():
	case <-ctx.Done():
	}
}

func consume(ch chan error) { <-ch }

// ok: handed to a function.
func passed() {
	consume(Start())
}

// ok: returned to the caller.
func forwarded() chan error {
	return Start()
}

// ok: stored in a field.
func (s *service) stored() {
	s.errc = Start()
}

// ok: a local function value shadows the package function.
func shadowed() {
	Start := func() chan error { return nil }
	Start()
}

// ok: the callee's send can give up.
func safeCallee(ctx context.Context) {
	Safe(ctx)
}

// ok: field receivers are not resolved (type unknown without type checking).
func (s *service) field() {
	s.rec.StartAsync()
}
