// Package fiber is a minimal stand-in for github.com/gofiber/fiber/v2, for fixtures only.
package fiber

import "context"

type Ctx struct{ path string }

func (c *Ctx) Params(key string) string     { return c.path }
func (c *Ctx) Query(key string) string      { return c.path }
func (c *Ctx) SendString(s string) error    { return nil }
func (c *Ctx) SendStatus(code int) error    { return nil }
func (c *Ctx) UserContext() context.Context { return context.Background() }
func (c *Ctx) Body() []byte                 { return nil }
