package goroutinewithoutcancel

import (
	"context"
	"net"
	"net/http"
)

// httpApp starts servers on Run and shuts them down on Cancel (caddy's first http app).
type httpApp struct {
	addrs   []string
	servers []*http.Server
}

// Run starts the servers but never records them: Cancel shuts down nothing.
func (a *httpApp) Run() error {
	for _, addr := range a.addrs {
		s := &http.Server{Handler: http.NotFoundHandler()}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		go s.Serve(ln) // want "goroutine-without-cancel: Server never stops: Cancel\\(\\) cannot reach 's', so s.Serve runs forever"
	}
	return nil
}

// ok: the server is recorded where Cancel shuts it down.
func (a *httpApp) RunKept() error {
	for _, addr := range a.addrs {
		s := &http.Server{Handler: http.NotFoundHandler()}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		go s.Serve(ln)
		a.servers = append(a.servers, s)
	}
	return nil
}

// ok: the listener is handed to someone who can close it.
func (a *httpApp) RunWithListener(keep func(net.Listener)) error {
	s := &http.Server{Handler: http.NotFoundHandler()}
	ln, err := net.Listen("tcp", a.addrs[0])
	if err != nil {
		return err
	}
	keep(ln)
	go s.Serve(ln)
	return nil
}

func (a *httpApp) Cancel() error {
	for _, s := range a.servers {
		if err := s.Shutdown(context.Background()); err != nil {
			return err
		}
	}
	return nil
}

// ok: a type without a stop method serves for as long as the process runs.
type metricsEndpoint struct{ addr string }

func (m metricsEndpoint) Start() error {
	s := &http.Server{Addr: m.addr}
	ln, err := net.Listen("tcp", m.addr)
	if err != nil {
		return err
	}
	go s.Serve(ln)
	return nil
}
