// Package gin is a minimal stand-in for github.com/gin-gonic/gin, for fixtures only.
package gin

import "net/http"

type H map[string]any

type Context struct {
	Request *http.Request
	Keys    map[string]any
}

func (c *Context) Copy() *Context              { cp := *c; return &cp }
func (c *Context) Param(key string) string     { return "" }
func (c *Context) JSON(code int, obj any)      {}
func (c *Context) String(code int, s string)   {}
func (c *Context) GetHeader(key string) string { return c.Request.Header.Get(key) }
