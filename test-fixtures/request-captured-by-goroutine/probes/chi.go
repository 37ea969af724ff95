package probes

import (
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"
)

// Routes mounts the chi probes; chi handlers are net/http handlers.
func Routes() *chi.Mux {
	m := chi.NewRouter()
	m.Get("/a/{id}", ChiParam)
	m.Get("/b/{id}", ChiParamCopied)
	return m
}

// leak probe [chi]: chi.URLParam(r, ...) read in the goroutine
func ChiParam(w http.ResponseWriter, r *http.Request) {
	go func() {
		audit(chi.URLParam(r, "id")) // want "request-captured-by-goroutine: .*still uses r \\(\\*http.Request\\)"
	}()
	w.WriteHeader(http.StatusAccepted)
}

// ok: probe [chi]: the parameter read before the go statement
func ChiParamCopied(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	go audit(id)
	w.WriteHeader(http.StatusAccepted)
}

// leak probe [chi]: select with a default case
func ChiSelectDefault(w http.ResponseWriter, r *http.Request) {
	res := make(chan string, 1)
	go func() {
		res <- chi.URLParam(r, "id") // want "request-captured-by-goroutine: .*still uses r"
	}()
	select {
	case v := <-res:
		audit(v)
	default:
	}
}

// ok: probe [chi]: waits for the goroutine
func ChiWaits(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		audit(chi.URLParam(r, "id"))
	}()
	wg.Wait()
}

// leak probe [chi]: the closure is built in a route literal
func ChiInline(m *chi.Mux) {
	m.Post("/c", func(w http.ResponseWriter, r *http.Request) {
		go func() {
			audit(r.Header.Get("X-Id")) // want "request-captured-by-goroutine: .*still uses r"
		}()
	})
}
