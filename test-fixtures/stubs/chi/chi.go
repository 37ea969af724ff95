// Package chi is a minimal stand-in for github.com/go-chi/chi/v5, for fixtures only.
package chi

import "net/http"

// URLParam returns the value of a URL parameter of the request's route.
func URLParam(r *http.Request, key string) string { return "" }

// Mux routes requests to handlers.
type Mux struct{ http.ServeMux }

func NewRouter() *Mux { return &Mux{} }

func (m *Mux) Get(pattern string, h http.HandlerFunc)  {}
func (m *Mux) Post(pattern string, h http.HandlerFunc) {}
