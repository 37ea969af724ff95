package discardedresultchan

import (
	"context"
	"errors"
	"strings"
)

type itemOrErr struct {
	item string
	err  error
}

// listItems streams items until they run out or ctx is done (minio's listIAMConfigItems).
func listItems(ctx context.Context, names []string) <-chan itemOrErr {
	ch := make(chan itemOrErr)
	go func() {
		defer close(ch)
		for _, n := range names {
			var it itemOrErr
			if strings.HasPrefix(n, "!") {
				it.err = errors.New("bad item " + n)
			} else {
				it.item = n
			}
			select {
			case ch <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// The first error returns out of the range: the producer waits for ctx, which is the caller's.
func loadAll(ctx context.Context, names []string, into map[string]bool) error {
	for it := range listItems(ctx, names) { // want "discarded-result-chan: listItems\\(\\) leaks its producer if this loop returns early \\(line 40\\)"
		if it.err != nil {
			return it.err
		}
		into[it.item] = true
	}
	return nil
}

// First match wins: breaking out strands the producer the same way.
func firstWith(ctx context.Context, names []string, prefix string) string {
	found := ""
	for it := range listItems(ctx, names) { // want "discarded-result-chan: listItems\\(\\) leaks its producer if this loop breaks early"
		if strings.HasPrefix(it.item, prefix) {
			found = it.item
			break
		}
	}
	return found
}

// ok: the fix; the stream's context ends when the function returns.
func loadAllCancelled(ctx context.Context, names []string, into map[string]bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for it := range listItems(ctx, names) {
		if it.err != nil {
			return it.err
		}
		into[it.item] = true
	}
	return nil
}

// ok: the loop reads to the end.
func countAll(ctx context.Context, names []string) (n int) {
	for it := range listItems(ctx, names) {
		if it.err == nil {
			n++
		}
	}
	return n
}

// ok: a break inside a select leaves the select, not the range.
func countUntilDone(ctx context.Context, names []string, stop <-chan struct{}) (n int) {
	for range listItems(ctx, names) {
		select {
		case <-stop:
			break
		default:
		}
		n++
	}
	return n
}

// ok: the context is made here and cancelled on return.
func loadWithTimeout(names []string, into map[string]bool) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for it := range listItems(ctx, names) {
		if it.err != nil {
			return it.err
		}
		into[it.item] = true
	}
	return nil
}
