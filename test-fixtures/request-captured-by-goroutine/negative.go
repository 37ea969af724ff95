package requestcaptured

import (
	"context"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
)

// ok: copies what it needs first.
func Copied(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	go func() {
		audit(path)
	}()
}

// ok: gin's documented way.
func GinCopied(c *gin.Context) {
	cCp := c.Copy()
	go func() {
		audit(cCp.Param("id"))
	}()
}

// ok: waits for the goroutines.
func Waits(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit(r.URL.Path)
	}()
	wg.Wait()
}

// ok: waits for a result.
func Receives(w http.ResponseWriter, r *http.Request) {
	done := make(chan string, 1)
	go func() { done <- r.URL.Path }()
	w.Write([]byte(<-done))
}

// ok: not a handler: a client helper that takes a request.
func Send(client *http.Client, r *http.Request) {
	go func() {
		resp, err := client.Do(r)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

// ok: the closure stays local.
func Local(w http.ResponseWriter, r *http.Request) {
	show := func() { audit(r.Method) }
	show()
}

// ok: the goroutine does not touch the request.
func Unrelated(w http.ResponseWriter, r *http.Request) {
	go audit("request received")
}

// ok: only the context is passed (it is cancelled with the request, which is the point).
func ContextOnly(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func(ctx context.Context) { <-ctx.Done() }(ctx)
}

// ok: a clone made before the goroutine; the literal's own parameter shadows r.
func Cloned(w http.ResponseWriter, r *http.Request) {
	clone := r.Clone(context.Background())
	go func(r *http.Request) {
		audit(r.URL.Path)
	}(clone)
}

// ok: the middleware's closure is returned, not stored.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

// ok: the gin handler copies into a new name before handing it on.
func GinHandOnCopy(c *gin.Context) {
	cp := c.Copy()
	go logGin(cp)
}
