package probes

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// leak probe [gin]: timeout middleware, c.Next() in a goroutine, the timer wins the select
func Timeout(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		done := make(chan struct{})
		go func() {
			c.Next() // want "request-captured-by-goroutine: Handler returns while the goroutine still uses c \\(\\*gin.Context\\): gin reuses it for another request"
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(d):
			c.AbortWithStatusJSON(http.StatusGatewayTimeout, gin.H{"error": "timeout"})
		}
	}
}

// leak probe [gin]: go c.Next() with the context as the call's receiver
func NextInBackground(c *gin.Context) {
	go c.Next() // want "request-captured-by-goroutine: .*still uses c \\(\\*gin.Context\\)"
	c.Status(http.StatusAccepted)
}

// leak probe [gin]: go c.Handler()(c)
func HandlerInBackground(c *gin.Context) {
	go c.Handler()(c) // want "request-captured-by-goroutine: .*still uses c" "request-captured-by-goroutine: .*still uses c"
}

// leak probe [gin]: field chain handed on, go f(c.Request)
func RequestField(c *gin.Context) {
	go logRequest(c.Request) // want "request-captured-by-goroutine: .*still uses c \\(\\*http.Request\\)"
}

func logRequest(r *http.Request) { audit(r.URL.Path) }

// leak probe [gin]: alias ctx := c read in the goroutine
func Alias(c *gin.Context) {
	ctx := c
	go func() {
		audit(ctx.Param("id")) // want "request-captured-by-goroutine: .*still uses ctx \\(\\*gin.Context\\)"
	}()
}

// leak probe [gin]: select with a ctx.Done() case besides the goroutine's result
func SelectCtxDone(c *gin.Context) {
	res := make(chan string, 1)
	go func() {
		res <- slow(c.Param("id")) // want "request-captured-by-goroutine: .*still uses c"
	}()
	select {
	case v := <-res:
		c.String(http.StatusOK, v)
	case <-c.Request.Context().Done():
	}
}

// leak probe [gin]: select with a default case
func SelectDefault(c *gin.Context) {
	res := make(chan string, 1)
	go func() { res <- slow(c.Query("q")) }() // want "request-captured-by-goroutine: .*still uses c"
	select {
	case v := <-res:
		c.String(http.StatusOK, v)
	default:
		c.Status(http.StatusAccepted)
	}
}

// leak probe [gin]: the wait sits inside an if
func WaitInIf(c *gin.Context) {
	done := make(chan struct{})
	go func() {
		audit(c.ClientIP()) // want "request-captured-by-goroutine: .*still uses c"
		close(done)
	}()
	if c.Query("sync") == "1" {
		<-done
	}
}

// leak probe [gin]: a range over a slice after the go is no wait
func RangeSlice(c *gin.Context) {
	go func() {
		audit(c.Param("id")) // want "request-captured-by-goroutine: .*still uses c"
	}()
	for _, k := range []string{"a", "b"} {
		audit(k)
	}
}

// leak probe [gin]: time.AfterFunc callback uses the context
func AfterFunc(c *gin.Context) {
	time.AfterFunc(time.Second, func() {
		audit(c.Param("id")) // want "request-captured-by-goroutine: Handler returns while its AfterFunc still uses c"
	})
}

// leak probe [gin]: a closure bound to a local, started later
func BoundClosure(c *gin.Context) {
	job := func() { audit(c.Param("id")) }
	c.Status(http.StatusAccepted)
	go job() // want "request-captured-by-goroutine: .*still uses c"
}

// leak probe [gin]: a helper of the package starts the goroutine
func HelperStarts(c *gin.Context) {
	startAudit(c)
}

func startAudit(c *gin.Context) {
	go func() {
		audit(c.ClientIP()) // want "request-captured-by-goroutine: .*still uses c"
	}()
}

// leak probe [gin]: c.Request.Context() captured, used after return
func RequestContext(c *gin.Context) {
	reqCtx := c.Request.Context()
	go func() {
		_ = save(reqCtx, "event") // want "request-captured-by-goroutine: .*still uses reqCtx \\(request context\\): it is cancelled by then"
	}()
}

// ok: probe [gin]: the goroutine gets c.Copy()
func Copied(c *gin.Context) {
	cCp := c.Copy()
	go func() {
		audit(cCp.Param("id"))
	}()
}

// ok: probe [gin]: the timer path waits for the goroutine too
func TimeoutWaitsBoth(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		done := make(chan struct{})
		go func() {
			audit(c.Param("id"))
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(d):
			<-done
		}
	}
}

// ok: probe [gin]: wg.Wait() before returning
func WaitGroup(c *gin.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit(c.Param("id"))
	}()
	wg.Wait()
}

// ok: probe [gin]: a select whose every case is the goroutine's signal
func SelectAllSignals(c *gin.Context) {
	res := make(chan string, 1)
	errs := make(chan error, 1)
	go func() {
		if id := c.Param("id"); id != "" {
			res <- id
			return
		}
		errs <- context.Canceled
	}()
	select {
	case v := <-res:
		c.String(http.StatusOK, v)
	case err := <-errs:
		c.String(http.StatusBadRequest, err.Error())
	}
}

// ok: probe [gin]: ranging over the channel the goroutine closes
func RangeResults(c *gin.Context) {
	out := make(chan string)
	go func() {
		defer close(out)
		out <- c.Param("id")
	}()
	for v := range out {
		audit(v)
	}
}

// ok: probe [gin]: deadline on the request's context, no goroutine
func TimeoutDeadline(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
		if ctx.Err() == context.DeadlineExceeded {
			c.AbortWithStatus(http.StatusGatewayTimeout)
		}
	}
}

// ok: probe [gin]: AfterFunc stopped when the handler returns
func AfterFuncStopped(c *gin.Context) {
	t := time.AfterFunc(time.Second, func() { audit(c.Param("id")) })
	defer t.Stop()
	c.Status(http.StatusOK)
}

// ok: probe [gin]: arguments are evaluated before the go statement
func ArgsEvaluated(c *gin.Context) {
	go audit(c.Param("id"), c.ClientIP())
}

// ok: probe [gin]: the goroutine only watches the request's end
func WatchesDone(c *gin.Context) {
	ctx := c.Request.Context()
	go func() {
		<-ctx.Done()
		audit("request over")
	}()
}
