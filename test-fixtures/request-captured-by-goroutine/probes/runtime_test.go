package probes

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// serve runs one request through a real net/http server and returns once the handler has
// returned; the handler's goroutine is released only then (the leak shape, made certain).
func serve(t *testing.T, h func(w http.ResponseWriter, r *http.Request, returned <-chan struct{})) {
	t.Helper()
	returned := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		h(w, r, returned)
	}))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "text/plain", strings.NewReader(strings.Repeat("x", 1<<20)))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func wait(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("the goroutine never reported")
		return nil
	}
}

// The shape of NetRequestContext: work started with r.Context() after the handler returned.
func TestRuntimeRequestContextCancelledAfterReturn(t *testing.T) {
	got := make(chan error, 1)
	serve(t, func(w http.ResponseWriter, r *http.Request, returned <-chan struct{}) {
		reqCtx := r.Context()
		go func() {
			<-returned
			// net/http cancels right after the handler returns.
			time.Sleep(50 * time.Millisecond)
			got <- save(reqCtx, "audit") // want "request-captured-by-goroutine: .*still uses reqCtx"
		}()
		w.WriteHeader(http.StatusAccepted)
	})
	if err := wait(t, got); !errors.Is(err, context.Canceled) {
		t.Fatalf("work on the request's context after return: got %v, want context.Canceled", err)
	}
}

// The shape of NetFreshContext: a context of its own with the values copied is not cancelled.
func TestRuntimeFreshContextOutlivesRequest(t *testing.T) {
	got := make(chan error, 1)
	serve(t, func(w http.ResponseWriter, r *http.Request, returned <-chan struct{}) {
		detached := context.WithValue(context.Background(), ctxKey{}, r.Context().Value(ctxKey{}))
		go func() {
			<-returned
			time.Sleep(50 * time.Millisecond)
			got <- save(detached, "audit")
		}()
	})
	if err := wait(t, got); err != nil {
		t.Fatalf("detached work: got %v, want nil", err)
	}
}

// The shape of NetBody: the body read after the handler returned is closed.
func TestRuntimeBodyClosedAfterReturn(t *testing.T) {
	got := make(chan error, 1)
	serve(t, func(w http.ResponseWriter, r *http.Request, returned <-chan struct{}) {
		go func() {
			<-returned
			time.Sleep(50 * time.Millisecond)
			_, err := io.Copy(io.Discard, r.Body) // want "request-captured-by-goroutine: .*still uses r"
			got <- err
		}()
		w.WriteHeader(http.StatusNoContent)
	})
	if err := wait(t, got); err == nil {
		t.Fatal("reading r.Body after the handler returned: got no error, want a closed body")
	} else {
		t.Logf("read after return: %v", err)
	}
}
