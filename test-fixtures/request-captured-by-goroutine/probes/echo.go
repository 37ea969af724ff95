package probes

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// leak probe [echo]: the context read in the goroutine
func EchoParam(c echo.Context) error {
	go func() {
		audit(c.Param("id")) // want "request-captured-by-goroutine: .*still uses c \\(echo.Context\\): echo reuses it"
	}()
	return c.NoContent(http.StatusAccepted)
}

// leak probe [echo]: req := c.Request() read in the goroutine
func EchoRequestAlias(c echo.Context) error {
	req := c.Request()
	go func() {
		audit(req.URL.Path) // want "request-captured-by-goroutine: .*still uses req \\(\\*http.Request\\)"
	}()
	return nil
}

// leak probe [echo]: c.Request().Context() handed to the goroutine
func EchoContextArg(c echo.Context) error {
	go save(c.Request().Context(), "event") // want "request-captured-by-goroutine: .*still uses c \\(request context\\)"
	return nil
}

// leak probe [echo]: timeout middleware returned by a constructor
func EchoTimeout(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			done := make(chan error, 1)
			go func() { done <- next(c) }() // want "request-captured-by-goroutine: .*still uses c \\(echo.Context\\)"
			select {
			case err := <-done:
				return err
			case <-time.After(d):
				return c.NoContent(http.StatusServiceUnavailable)
			}
		}
	}
}

// ok: probe [echo]: values copied first
func EchoCopied(c echo.Context) error {
	id := c.Param("id")
	go func() { audit(id) }()
	return nil
}

// ok: probe [echo]: waits on every path
func EchoWaits(c echo.Context) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit(c.QueryParam("q"))
	}()
	wg.Wait()
	return nil
}

// leak probe [echo]: the request's context taken from the pooled Context inside the goroutine
func EchoContextInside(c echo.Context) error {
	go func() {
		_ = save(c.Request().Context(), "event") // want "request-captured-by-goroutine: .*still uses c \\(echo.Context\\): echo reuses it"
	}()
	return nil
}
