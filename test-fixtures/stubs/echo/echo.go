// Package echo is a minimal stand-in for github.com/labstack/echo/v4, for fixtures only.
package echo

import "net/http"

type Context interface {
	Param(name string) string
	JSON(code int, i interface{}) error
	Request() *http.Request
}
