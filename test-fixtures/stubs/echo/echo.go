// Package echo is a minimal stand-in for github.com/labstack/echo/v4, for fixtures only.
package echo

import "net/http"

// Response wraps the http.ResponseWriter of a request.
type Response struct {
	Writer http.ResponseWriter
}

type Context interface {
	Param(name string) string
	QueryParam(name string) string
	JSON(code int, i interface{}) error
	NoContent(code int) error
	Request() *http.Request
	Response() *Response
}

type HandlerFunc func(Context) error

type MiddlewareFunc func(HandlerFunc) HandlerFunc
