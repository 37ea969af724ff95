//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package discardedresultchan

import (
	"context"
	"errors"
	"testing"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

const silent = "leaks, but the rule is silent by design: "

// The callee's own fix (a buffer in api.go) cures every caller.
const calleeFix = "api.go:add-buffer"

var cases = []gt{
	// Streams read until an early return (streams.go).
	{Name: "loadAll", File: "streams.go", Leaks: true, FixedBy: []string{"cancel-stream"}, Run: func() { _ = loadAll(context.Background(), []string{"!bad", "a", "b"}, map[string]bool{}) }},
	{Name: "firstWith", File: "streams.go", Leaks: true, FixedBy: []string{"cancel-stream"}, Run: func() { _ = firstWith(context.Background(), []string{"ab", "ac", "ad"}, "a") }},
	{Name: "loadAllCancelled", File: "streams.go", Run: func() { _ = loadAllCancelled(context.Background(), []string{"!bad", "a", "b"}, map[string]bool{}) }},
	{Name: "countAll", File: "streams.go", Run: func() { _ = countAll(context.Background(), []string{"!bad", "a", "b"}) }},
	{Name: "countUntilDone", File: "streams.go", Run: func() { _ = countUntilDone(context.Background(), []string{"a", "b"}, make(chan struct{})) }},
	{Name: "loadWithTimeout", File: "streams.go", Run: func() { _ = loadWithTimeout([]string{"!bad", "a", "b"}, map[string]bool{}) }},
	{Name: "useStart", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useStart},
	{Name: "useLocalRecognizer", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useLocalRecognizer},
	{Name: "useParam", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: func() { useParam(&Recognizer{}) }},
	{Name: "Restart", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: func() { (&Recognizer{}).Restart() }},
	{Name: "useVar", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useVar},
	{Name: "useDefer", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useDefer},
	{Name: "useDeferMethod", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: func() { useDeferMethod(&Recognizer{}) }},
	{Name: "useGo", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useGo},
	{Name: "useBlank", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useBlank},
	{Name: "useMulti", File: "callers.go", Leaks: true, FixedBy: []string{calleeFix}, Note: "two results: no receive fix", Run: func() { _ = useMulti() }},
	{Name: "useMultiBlank", File: "callers.go", Leaks: true, FixedBy: []string{calleeFix}, Note: "two results: no receive fix", Run: useMultiBlank},
	{Name: "useGeneric", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useGeneric},
	{Name: "useInClosure", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useInClosure},
	{Name: "useComposite", File: "callers.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: useComposite},
	{Name: "捨てる", File: "cjk_crlf.go", Leaks: true, FixedBy: []string{"receive-result", calleeFix}, Run: 捨てる},

	{Name: "receives", File: "negative.go", Run: func() { _ = receives() }},
	{Name: "keeps", File: "negative.go", Run: func() { _ = keeps() }},
	{Name: "otherPackage", File: "negative.go", Leaks: true, Note: silent + "the callee is in another package", Run: otherPackage},
	{Name: "unknownReceiver", File: "negative.go", Leaks: true, FixedBy: []string{calleeFix}, Note: silent + "the receiver's type comes from a call", Run: unknownReceiver},
	{Name: "otherType", File: "negative.go", Run: otherType},
	{Name: "receivedInGoroutine", File: "negative.go", Run: receivedInGoroutine},
	{Name: "inSelect", File: "negative.go", Run: func() { inSelect(context.Background()) }},
	{Name: "passed", File: "negative.go", Run: passed},
	{Name: "forwarded", File: "negative.go", Run: func() { <-forwarded() }},
	{Name: "stored", File: "negative.go", Run: func() {
		s := &service{}
		s.stored()
		<-s.errc
	}},
	{Name: "shadowed", File: "negative.go", Run: shadowed},
	{Name: "safeCallee", File: "negative.go", Run: func() {
		ctx, cancel := context.WithCancel(context.Background())
		safeCallee(ctx)
		cancel()
	}},
	{Name: "field", File: "negative.go", Leaks: true, FixedBy: []string{calleeFix}, Note: silent + "field receivers are not resolved without type checking", Run: func() { (&service{rec: &Recognizer{}}).field() }},
}

var _ = errors.New

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, nil)
}
