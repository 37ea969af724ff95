package probes

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// leak probe [net/http]: the timer wins the select, the goroutine still reads r
func NetTimeout(w http.ResponseWriter, r *http.Request) {
	res := make(chan string, 1)
	go func() {
		res <- slow(r.URL.Path) // want "request-captured-by-goroutine: Handler returns while the goroutine still uses r \\(\\*http.Request\\)"
	}()
	select {
	case v := <-res:
		_, _ = io.WriteString(w, v)
	case <-time.After(time.Second):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// leak probe [net/http]: reqCtx := r.Context() captured, work started with it after return
func NetRequestContext(w http.ResponseWriter, r *http.Request) {
	reqCtx := r.Context()
	go func() {
		_ = save(reqCtx, "audit") // want "request-captured-by-goroutine: .*still uses reqCtx \\(request context\\)"
	}()
	w.WriteHeader(http.StatusAccepted)
}

// leak probe [net/http]: r.Context() handed to the goroutine
func NetContextArg(w http.ResponseWriter, r *http.Request) {
	go save(r.Context(), "audit") // want "request-captured-by-goroutine: .*still uses r \\(request context\\)"
	w.WriteHeader(http.StatusAccepted)
}

// leak probe [net/http]: alias req := r
func NetAlias(w http.ResponseWriter, r *http.Request) {
	req := r
	go func() {
		audit(req.Header.Get("X-Id")) // want "request-captured-by-goroutine: .*still uses req \\(\\*http.Request\\)"
	}()
}

// leak probe [net/http]: r.Body drained in the background
func NetBody(w http.ResponseWriter, r *http.Request) {
	go io.Copy(io.Discard, r.Body) // want "request-captured-by-goroutine: .*still uses r \\(\\*http.Request\\)"
	w.WriteHeader(http.StatusNoContent)
}

// leak probe [net/http]: a helper of the package starts the goroutine with the request
func NetHelper(w http.ResponseWriter, r *http.Request) {
	logAsync(r) // want "request-captured-by-goroutine: Handler returns while logAsync\\(\\)'s goroutine still uses r"
	w.WriteHeader(http.StatusOK)
}

func logAsync(r *http.Request) {
	go func() {
		audit(r.Method, r.URL.Path)
	}()
}

// leak probe [net/http]: the writer used from a goroutine, wait only under an if
func NetWriterWaitInIf(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() {
		_, _ = w.Write([]byte("late")) // want "request-captured-by-goroutine: .*still uses w \\(http.ResponseWriter\\)"
		close(done)
	}()
	if r.URL.Query().Get("wait") != "" {
		<-done
	}
}

// leak probe [net/http]: a range over a slice after the go
func NetRangeSlice(w http.ResponseWriter, r *http.Request) {
	go func() {
		audit(r.RemoteAddr) // want "request-captured-by-goroutine: .*still uses r"
	}()
	for _, h := range []string{"a", "b"} {
		w.Header().Set(h, "1")
	}
}

// leak probe [net/http]: time.AfterFunc writes to w
func NetAfterFunc(w http.ResponseWriter, r *http.Request) {
	time.AfterFunc(time.Second, func() {
		_, _ = w.Write([]byte("late")) // want "request-captured-by-goroutine: Handler returns while its AfterFunc still uses w \\(http.ResponseWriter\\)"
	})
}

// ok: probe [net/http]: values read before the go statement
func NetHoisted(w http.ResponseWriter, r *http.Request) {
	path, agent := r.URL.Path, r.UserAgent()
	go func() {
		audit(path, agent)
	}()
}

// ok: probe [net/http]: detached work with a fresh context carrying the values it needs
func NetFreshContext(w http.ResponseWriter, r *http.Request) {
	detached := context.WithValue(context.Background(), ctxKey{}, r.Context().Value(ctxKey{}))
	id := r.URL.Query().Get("id")
	go func() {
		_ = save(detached, id)
	}()
}

// ok: probe [net/http]: the timer path waits for the goroutine as well
func NetTimeoutWaits(w http.ResponseWriter, r *http.Request) {
	res := make(chan string, 1)
	go func() { res <- slow(r.URL.Path) }()
	var v string
	select {
	case v = <-res:
	case <-time.After(time.Second):
		v = <-res
	}
	_, _ = io.WriteString(w, v)
}

// ok: probe [net/http]: a deferred wg.Wait() covers every return
func NetDeferredWait(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit(r.URL.Path)
	}()
	if r.Method != http.MethodGet {
		return
	}
	w.WriteHeader(http.StatusOK)
}

// ok: probe [net/http]: ranging over the channel the goroutine closes
func NetRangeClosed(w http.ResponseWriter, r *http.Request) {
	lines := make(chan string)
	go func() {
		defer close(lines)
		lines <- r.URL.Path
	}()
	for l := range lines {
		_, _ = io.WriteString(w, l)
	}
}

// ok: probe [net/http]: the goroutine only waits for the request to end
func NetWatchDone(w http.ResponseWriter, r *http.Request) {
	go func() {
		<-r.Context().Done()
		audit("client gone")
	}()
}

// ok: probe [net/http]: a streaming handler that lives until the request's context is done
func NetStream(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	events := make(chan string, 16)
	go publish(ctx, events)
	for {
		select {
		case e := <-events:
			_, _ = io.WriteString(w, e)
		case <-ctx.Done():
			return
		}
	}
}

func publish(ctx context.Context, out chan<- string) {
	select {
	case out <- "hello":
	case <-ctx.Done():
	}
}

// ok: probe [net/http]: a helper gives up with the request and its goroutine ends with it
func NetHelperTied(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, fetchInfo(r.Context()))
}

func fetchInfo(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	res := make(chan string)
	go func() {
		select {
		case res <- slow("info"):
		case <-ctx.Done():
		}
		_ = save(ctx, "info fetched")
	}()
	select {
	case v := <-res:
		return v
	case <-ctx.Done():
		return ""
	}
}

// ok: probe [net/http]: AfterFunc stopped before the handler returns, the response guarded by a sync.Once
func NetAfterFuncOnce(w http.ResponseWriter, r *http.Request) {
	var once sync.Once
	timer := time.AfterFunc(time.Second, func() {
		once.Do(func() { http.Error(w, "timeout", http.StatusGatewayTimeout) })
	})
	v := slow(r.URL.Path)
	timer.Stop()
	once.Do(func() { _, _ = io.WriteString(w, v) })
}
