package probes

import (
	"sync"

	"github.com/gofiber/fiber/v2"
)

// leak probe [fiber]: the Ctx read in the goroutine
func FiberParam(c *fiber.Ctx) error {
	go func() {
		audit(c.Params("id")) // want "request-captured-by-goroutine: .*still uses c \\(\\*fiber.Ctx\\): fiber reuses it"
	}()
	return c.SendStatus(202)
}

// leak probe [fiber]: the Ctx handed to the goroutine
func FiberArg(c *fiber.Ctx) error {
	go logFiber(c) // want "request-captured-by-goroutine: .*still uses c \\(\\*fiber.Ctx\\)"
	return nil
}

func logFiber(c *fiber.Ctx) { audit(c.Params("id")) }

// leak probe [fiber]: the wait sits inside an if
func FiberWaitInIf(c *fiber.Ctx) error {
	done := make(chan struct{})
	go func() {
		audit(c.Query("q")) // want "request-captured-by-goroutine: .*still uses c"
		close(done)
	}()
	if c.Query("sync") != "" {
		<-done
	}
	return nil
}

// ok: probe [fiber]: the value copied out of the Ctx first
func FiberCopied(c *fiber.Ctx) error {
	id := string([]byte(c.Params("id")))
	go audit(id)
	return nil
}

// ok: probe [fiber]: waits for the goroutine
func FiberWaits(c *fiber.Ctx) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit(c.Params("id"))
	}()
	wg.Wait()
	return nil
}
