package requestcaptured

import (
	"net/http"
	"time"
)

type getOptions struct {
	CheckPrecond func(etag string) bool
}

func fetchObject(name string, opts getOptions) string {
	if opts.CheckPrecond != nil && !opts.CheckPrecond("etag") {
		return ""
	}
	return name
}

// ok: the closure sits in a local options value that is only passed to a call; it runs before the handler returns.
func GetObject(w http.ResponseWriter, r *http.Request) {
	var opts getOptions
	opts.CheckPrecond = func(etag string) bool {
		return matches(r, etag, opts)
	}
	_, _ = w.Write([]byte(fetchObject(r.URL.Path, opts)))
}

func matches(r *http.Request, etag string, _ getOptions) bool {
	return r.Header.Get("If-Match") == etag
}

var pending = make(chan getOptions, 16)

// The local options value is sent away, so the closure outlives the handler.
func QueueObject(w http.ResponseWriter, r *http.Request) {
	var opts getOptions
	opts.CheckPrecond = func(etag string) bool {
		return r.Header.Get("If-Match") == etag // want "request-captured-by-goroutine: Closure in opts.CheckPrecond outlives the handler and uses r"
	}
	pending <- opts
}

// The local options value is handed to a goroutine.
func BackgroundObject(w http.ResponseWriter, r *http.Request) {
	var opts getOptions
	opts.CheckPrecond = func(etag string) bool {
		return r.Header.Get("If-Match") == etag // want "request-captured-by-goroutine: Closure in opts.CheckPrecond outlives the handler and uses r"
	}
	go fetchObject("x", opts)
}

// keepAlive writes a space every second until the returned function is called; that
// function hands the result over and waits for the goroutine to finish.
//
// ok: every caller joins the goroutine through the returned function.
func keepAlive(w http.ResponseWriter) func(error) {
	done := make(chan error)
	go func() {
		defer close(done)
		ticker := time.NewTicker(time.Second)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				_, _ = w.Write([]byte(" "))
			case err := <-done:
				if err != nil {
					_, _ = w.Write([]byte(err.Error()))
				}
				return
			}
		}
	}()
	return func(err error) {
		done <- err
		<-done
	}
}

// A helper that returns nothing to join with: the goroutine outlives the handler that calls it.
func keepAliveForever(w http.ResponseWriter) func() {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 83 has no exit"
		for {
			time.Sleep(time.Second)
			_, _ = w.Write([]byte(" ")) // want "request-captured-by-goroutine: .*still uses w"
		}
	}()
	return func() {}
}

// stream is the handle keepStreaming returns: Close hands the result over and waits for the
// goroutine to answer on the same channel.
type stream struct{ done chan error }

func (s *stream) Close(err error) {
	s.done <- err
	<-s.done
}

// safeClose closes a channel that may already be closed.
func safeClose(ch chan error) {
	defer func() { _ = recover() }()
	close(ch)
}

// ok: the returned stream carries the channel the goroutine closes when it ends (through a
// helper), so the caller can join it (minio's streamHTTPResponse).
func keepStreaming(w http.ResponseWriter) *stream {
	doneCh := make(chan error)
	s := stream{done: doneCh}
	go func() {
		ticker := time.NewTicker(time.Second)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				_, _ = w.Write([]byte(" "))
			case err := <-doneCh:
				if err != nil {
					_, _ = w.Write([]byte(err.Error()))
				}
				safeClose(doneCh)
				return
			}
		}
	}()
	return &s
}

// The returned stream's channel is one the goroutine never signals on: nothing to join with.
func keepStreamingDetached(w http.ResponseWriter) *stream {
	s := stream{done: make(chan error)}
	go func() {
		time.Sleep(time.Second)
		_, _ = w.Write([]byte(" ")) // want "request-captured-by-goroutine: Handler returns while the goroutine still uses w"
	}()
	return &s
}
