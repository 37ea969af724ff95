//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

// The runtime proof for the VM-manager incident: restarting a job overwrites the previous
// run's cancel function, so every earlier run's watcher stays parked on a context nobody
// cancels. After leaklint's cancel-previous fix only the current run's watcher is left.
package harness

import (
	"os"
	"testing"
	"time"

	"example.com/vmmanager/manager"
	"example.com/vmmanager/vm"
)

func TestManagerLeaksUntilFixed(t *testing.T) {
	m := manager.New()
	inst := &vm.Instance{Name: "vm0"}
	for i := 0; i < 10; i++ {
		if err := m.Start("job", inst); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	parked := parked("chan receive", "vm.(*Instance).Run.func1")
	if os.Getenv("LEAKLINT_FIXED") == "1" {
		if parked != 1 {
			t.Fatalf("after the fix, expected only the current run's watcher, found %d", parked)
		}
		t.Logf("fixed: only the current run's watcher is left")
		return
	}
	if parked != 10 {
		t.Fatalf("expected 10 parked watchers (9 of them for runs nobody can cancel), found %d", parked)
	}
	t.Logf("leak shown: %d watchers parked, 9 on contexts nobody can cancel", parked)
}
