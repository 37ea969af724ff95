// Package vm is shaped like the VM layer of a fuzzing VM manager behind a real incident:
// Run takes its context through variadic options and parks a goroutine on it.
package vm

import (
	"context"
	"errors"
)

// Instance is one virtual machine.
type Instance struct{ Name string }

// RunOption configures Run.
type RunOption interface{}

type ctxOption struct{ ctx context.Context }

// WithContext makes Run stop its watcher when ctx ends.
func WithContext(ctx context.Context) RunOption { return ctxOption{ctx: ctx} }

// Run starts the instance. A watcher goroutine waits for the run's context to end and then
// shuts the instance down: it lives exactly until the caller cancels.
func (inst *Instance) Run(opts ...RunOption) error {
	ctx := context.Background()
	for _, o := range opts {
		switch v := o.(type) {
		case ctxOption:
			ctx = v.ctx
		}
	}
	go func() {
		<-ctx.Done()
		inst.shutdown()
	}()
	return nil
}

func (inst *Instance) shutdown() {}

// Watch parks a goroutine on ctx, handed in directly.
func Watch(ctx context.Context, inst *Instance) {
	go func() {
		<-ctx.Done()
		inst.shutdown()
	}()
}

// WatchPath watches only paths it accepts: for the others it returns before starting the
// watcher, so it is not known as a function that always parks a goroutine.
func WatchPath(ctx context.Context, path string, inst *Instance) error {
	if path == "" || path[0] == '.' {
		return errBadPath
	}
	go func() {
		<-ctx.Done()
		inst.shutdown()
	}()
	return nil
}

var errBadPath = errors.New("vm: bad path")
