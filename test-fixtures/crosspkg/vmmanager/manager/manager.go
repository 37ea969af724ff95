// Package manager starts VMs for jobs, shaped like the manager behind the incident.
package manager

import (
	"context"

	"example.com/vmmanager/vm"
)

// Manager runs one VM per job.
type Manager struct {
	jobs   map[string]context.CancelFunc
	cancel context.CancelFunc
}

// New makes a Manager.
func New() *Manager { return &Manager{jobs: map[string]context.CancelFunc{}} }

// Start overwrites the previous run's cancel function for the same job without calling it:
// that run's context is never cancelled, and its watcher goroutine stays parked forever.
func (m *Manager) Start(id string, inst *vm.Instance) error {
	ctx, cancel := context.WithCancel(context.Background())
	m.jobs[id] = cancel
	return inst.Run(vm.WithContext(ctx)) // want "lost-cancel: vm.Instance.Run parks a goroutine forever: the previous cancel function is overwritten uncalled\\. vm.Instance.Run parks a goroutine on the context it is given until that context is cancelled \\(instance.go:31 in example.com/vmmanager/vm\\), but storing its cancel function in m.jobs\\[id\\]"
}

// Restart does the same with a field.
func (m *Manager) Restart(inst *vm.Instance) {
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	vm.Watch(ctx, inst) // want "lost-cancel: vm.Watch parks a goroutine forever: the previous cancel function is overwritten uncalled\\. .* but storing its cancel function in m.cancel"
}

// Forever hands Watch a context that nothing can cancel.
func Forever(inst *vm.Instance) {
	vm.Watch(context.Background(), inst) // want "lost-cancel: vm.Watch parks a goroutine forever: its context is never cancelled\\. .* but it gets context.Background\\(\\), which is never cancelled"
}

// ok: the previous run is cancelled before its slot is reused.
func (m *Manager) StartClean(id string, inst *vm.Instance) error {
	if prev := m.jobs[id]; prev != nil {
		prev()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.jobs[id] = cancel
	return inst.Run(vm.WithContext(ctx))
}

// ok: the caller's context, cancelled by the caller.
func RunWith(ctx context.Context, inst *vm.Instance) error {
	return inst.Run(vm.WithContext(ctx))
}

// ok: cancelled when the function returns.
func RunOnce(inst *vm.Instance) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return inst.Run(vm.WithContext(ctx))
}

// ok: WatchPath may return before starting its watcher (here it does: the path escapes).
func CheckEscape(inst *vm.Instance) error {
	return vm.WatchPath(context.Background(), "../x", inst)
}
