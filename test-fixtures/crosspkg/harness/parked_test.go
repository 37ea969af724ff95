package harness

import (
	"runtime"
	"strings"
)

// parked counts the goroutines whose dump shows them in `state` (e.g. "chan send") with
// `frame` on their stack.
func parked(state, frame string) int {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	count := 0
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		if strings.Contains(g, "["+state) && strings.Contains(g, frame) {
			count++
		}
	}
	return count
}
