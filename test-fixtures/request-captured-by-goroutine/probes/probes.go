// Package probes holds one small handler per shape for request-captured-by-goroutine, for
// gin, echo, fiber, chi and net/http, both ways. Each starts with a header the probe test
// reads: "// leak probe [framework]: shape" or "// ok: probe [framework]: shape".
package probes

import (
	"context"
	"log"
)

func audit(args ...any) { log.Println(args...) }

func save(ctx context.Context, args ...any) error {
	audit(args...)
	return ctx.Err()
}

func slow(s string) string { return s }

type ctxKey struct{}
