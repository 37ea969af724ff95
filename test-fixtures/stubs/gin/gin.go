// Package gin is a minimal stand-in for github.com/gin-gonic/gin, for fixtures only.
package gin

import "net/http"

type H map[string]any

type HandlerFunc func(*Context)

// ResponseWriter is gin's writer: an http.ResponseWriter that knows whether it was written.
type ResponseWriter interface {
	http.ResponseWriter
	Written() bool
}

type Context struct {
	Request *http.Request
	Writer  ResponseWriter
	Keys    map[string]any
}

func (c *Context) Copy() *Context                        { cp := *c; return &cp }
func (c *Context) Param(key string) string               { return "" }
func (c *Context) Query(key string) string               { return "" }
func (c *Context) ClientIP() string                      { return "" }
func (c *Context) JSON(code int, obj any)                {}
func (c *Context) String(code int, s string)             {}
func (c *Context) GetHeader(key string) string           { return c.Request.Header.Get(key) }
func (c *Context) Next()                                 {}
func (c *Context) Abort()                                {}
func (c *Context) Status(code int)                       {}
func (c *Context) AbortWithStatus(code int)              {}
func (c *Context) AbortWithStatusJSON(code int, obj any) {}
func (c *Context) Handler() HandlerFunc                  { return func(*Context) {} }
func (c *Context) Set(key string, value any)             {}
func (c *Context) GetString(key string) string           { return "" }
