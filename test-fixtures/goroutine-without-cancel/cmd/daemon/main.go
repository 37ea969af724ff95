// Command daemon: goroutines started in main live exactly as long as the process.
package main

import (
	"log"
	"time"
)

// ok: in main, a goroutine that runs forever is the process's business.
func main() {
	go func() {
		for {
			log.Println("alive")
			time.Sleep(time.Minute)
		}
	}()
	select {}
}
