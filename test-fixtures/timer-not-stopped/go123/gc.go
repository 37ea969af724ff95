// Package go123 is analysed as Go 1.23 (see go.mod): unreferenced timers are collected.
package go123

import (
	"context"
	"log"
	"time"
)

// Not stopped, but collected since Go 1.23: Information.
func WaitOrDone(d time.Duration, done <-chan struct{}) bool {
	t := time.NewTimer(d) // want "timer-not-stopped: Timer 't' is never stopped.*Since Go 1.23 \\(go.mod says go 1.23\\)"
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// A ticker still read by a loop stays a Warning.
func Sample(ctx context.Context) {
	ticker := time.NewTicker(time.Second) // want "timer-not-stopped: Ticker 'ticker' is never stopped: it keeps firing"
	for {
		select {
		case <-ticker.C:
			log.Println("sample")
		case <-ctx.Done():
			return
		}
	}
}

// time.After in a loop: Information since Go 1.23.
func Debounce(events <-chan string) {
	for {
		select {
		case e := <-events:
			log.Println(e)
		case <-time.After(time.Second): // want "timer-not-stopped: time.After in a select.*Since Go 1.23"
			return
		}
	}
}
