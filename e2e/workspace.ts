// The Go workspace both e2e suites open: a package with leaks in two files, and a clean one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const API = `package app

// Recognizer mimics the speech SDK whose result channel leaked. 日本語 😀
type Recognizer struct{ name string }

func (r *Recognizer) connect() error { return nil }

// StartAsync returns an unbuffered channel fed by a goroutine.
func (r *Recognizer) StartAsync() chan error {
	outcome := make(chan error)
	go func() {
		outcome <- r.connect()
	}()
	return outcome
}
`;

export const CALLER = `package app

func use(r *Recognizer) {
	r.StartAsync()
}
`;

export const TIMER = `package app

import "time"

func wait(done <-chan struct{}) bool {
	t := time.NewTimer(time.Second)
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}
`;

/** A service that follows the speech SDK's sample; the SDK is in the fixtures' fake module cache (MODCACHE). */
export const SERVICE = `package svc

import "github.com/AcmeSpeech/sdk/speech"

func Start(cfg *speech.SpeechConfig) error {
	recognizer, err := speech.NewSpeechRecognizerFromConfig(cfg)
	if err != nil {
		return err
	}
	recognizer.StartContinuousRecognitionAsync()
	return nil
}
`;

/** The VM-manager incident's shape across two packages of the workspace's module. */
export const VM = `package vm

import "context"

type Instance struct{}

type RunOption interface{}

type ctxOption struct{ ctx context.Context }

func WithContext(ctx context.Context) RunOption { return ctxOption{ctx: ctx} }

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
	}()
	return nil
}
`;

export const MANAGER = `package manager

import (
	"context"

	"example.com/e2e/vm"
)

type Manager struct{ jobs map[string]context.CancelFunc }

func (m *Manager) Start(id string, inst *vm.Instance) error {
	ctx, cancel := context.WithCancel(context.Background())
	m.jobs[id] = cancel
	return inst.Run(vm.WithContext(ctx))
}
`;

/** The fake Go module cache with the SDK, to be passed to the editor as GOMODCACHE. */
export const MODCACHE = path.resolve(__dirname, '../test-fixtures/crosspkg/_modcache');

export function makeWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-e2e-ws-')));
  const files: Record<string, string> = {
    'go.mod': 'module example.com/e2e\n\ngo 1.21\n\nrequire github.com/AcmeSpeech/sdk v1.33.0\n',
    'svc/svc.go': SERVICE,
    'vm/vm.go': VM,
    'manager/manager.go': MANAGER,
    'app/api.go': API,
    'app/caller.go': CALLER,
    'app/timer.go': TIMER,
    'clean/clean.go': 'package clean\n\nfunc Add(a, b int) int { return a + b }\n',
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Kills a process and its group (started with detached: true), politely then firmly. */
export async function killTree(pid: number | undefined): Promise<void> {
  if (!pid) return;
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        return; // gone
      }
    }
    await new Promise((r) => setTimeout(r, 1500));
  }
}
