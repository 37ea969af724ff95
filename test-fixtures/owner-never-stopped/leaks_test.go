//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package ownerneverstopped

import (
	"testing"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

var asTest = groundtruth.AsTest

var reviewedOnly = map[string]string{
	"reassigned":      "leaks the first queue: the rule stays silent on reassigned values by design (which value is stopped is not followed)",
	"workerStarted":   "leaks by design of Worker, which has no stop method: not this rule's shape",
	"stoppedOnError":  "leaks on the path that does not stop it: a known miss, any stop call on the value silences the rule (prefer silence over a guess)",
	"Pipeline":        "outside tests: not checked by this rule (process-lifetime values are common there)",
	"procNotStopped":  "leaks: Kill also ends Proc's loop, so the rule cannot say Stop is what the test owes (silent by design, see the Exited/Kill false positives)",
	"hubNoClose":      "leaks: Detach also stops the hub's chain, so Close is not the only way out (silent by design)",
	"relayNotStopped": "leaks: the loop waits on a channel a method returns; which channel that is needs more than syntax (silent by design)",
}

var cases = []gt{
	{Name: "consumeNoStop", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(consumeNoStop)},
	{Name: "chainNoStop", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(chainNoStop)},
	{Name: "literalNoStop", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(literalNoStop)},
	{Name: "helperNoStop", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(helperNoStop)},
	{Name: "benchNoStop", File: "owner_test.go", Leaks: true, Run: asTest(func(t testing.TB) { benchNoStop(t, 2) })},
	{Name: "usedInGoroutine", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(usedInGoroutine)},
	{Name: "startedConditionally", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(func(t testing.TB) { startedConditionally(t, true) })},
	{Name: "serverNoShutdown", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(serverNoShutdown)},
	{Name: "poolNoClose", File: "owner_test.go", Leaks: true, Run: asTest(poolNoClose)},
	{Name: "oneOfTwo", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(oneOfTwo)},
	{Name: "readLater", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(readLater)},
	{Name: "serverTwice", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(serverTwice)},
	{Name: "ringNoStop", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(ringNoStop)},
	{Name: "ringResized", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(ringResized)},
	{Name: "tickerNoClose", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(tickerNoClose)},
	{Name: "ringClosedByHand", File: "owner_test.go", Run: asTest(ringClosedByHand)},
	{Name: "lazyNotStopped", File: "owner_test.go", Run: asTest(lazyNotStopped)},
	{Name: "backendNoClose", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(backendNoClose)},
	{Name: "helperBackendNoClose", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(helperBackendNoClose)},
	{Name: "nodeNoClose", File: "owner_test.go", Leaks: true, FixedBy: []string{"defer-stop"}, Run: asTest(nodeNoClose)},
	{Name: "backendClosed", File: "owner_test.go", Run: asTest(backendClosed)},
	{Name: "backendChainStopped", File: "owner_test.go", Run: asTest(backendChainStopped)},
	{Name: "storeNoClose", File: "owner_test.go", Run: asTest(storeNoClose)},
	{Name: "gateNoClose", File: "owner_test.go", Run: asTest(gateNoClose)},
	{Name: "newStarted", File: "owner_test.go", Run: func() { newStarted().Stop() }},
	{Name: "storedInHarness", File: "owner_test.go", Run: asTest(func(t testing.TB) { h := &harness{}; storedInHarness(t, h); h.q.Stop() })},
	{Name: "stoppedInDeferredClosure", File: "owner_test.go", Run: asTest(stoppedInDeferredClosure)},
	{Name: "cleanupMethodValue", File: "owner_test.go", Run: asTest(cleanupMethodValue)},
	{Name: "clientNotClosed", File: "owner_test.go", Run: asTest(clientNotClosed)},
	{Name: "copierNotClosed", File: "owner_test.go", Run: asTest(copierNotClosed)},
	{Name: "hookNotShutdown", File: "owner_test.go", Run: asTest(hookNotShutdown)},
	{Name: "consumeStopped", File: "owner_test.go", Run: asTest(consumeStopped)},
	{Name: "chainCleanup", File: "owner_test.go", Run: asTest(chainCleanup)},
	{Name: "chainHandedOn", File: "owner_test.go", Run: asTest(chainHandedOn)},
	{Name: "queueIdle", File: "owner_test.go", Run: asTest(queueIdle)},
}

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, reviewedOnly)
}
