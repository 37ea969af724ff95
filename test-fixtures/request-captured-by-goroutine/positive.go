// Package requestcaptured holds the cases request-captured-by-goroutine must report.
package requestcaptured

import (
	"log"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	"github.com/labstack/echo/v4"
)

func audit(args ...any) { log.Println(args...) }

// A goroutine reads request fields after the handler may have returned.
func Handler(w http.ResponseWriter, r *http.Request) {
	go func() {
		audit(r.URL.Path, r.Method) // want "request-captured-by-goroutine: Handler returns while the goroutine still uses r \\(\\*http.Request\\)"
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Writes to the ResponseWriter from a goroutine.
func Writer(w http.ResponseWriter, r *http.Request) {
	go func() {
		w.Write([]byte("late")) // want "request-captured-by-goroutine: Handler returns while the goroutine still uses w \\(http.ResponseWriter\\)"
	}()
}

func handle(r *http.Request) { audit(r.URL.String()) }

// The request handed to a goroutine as an argument.
func Argument(w http.ResponseWriter, r *http.Request) {
	go handle(r) // want "request-captured-by-goroutine: .*still uses r"
}

func process(w http.ResponseWriter, r *http.Request) {}

// Both handed on.
func Both(w http.ResponseWriter, r *http.Request) {
	go process(w, r) // want "request-captured-by-goroutine: .*still uses w" "request-captured-by-goroutine: .*still uses r"
}

// gin: the Context is recycled for the next request.
func GinHandler(c *gin.Context) {
	go func() {
		audit(c.Param("id")) // want "request-captured-by-goroutine: Handler returns while the goroutine still uses c \\(\\*gin.Context\\).*c.Copy"
	}()
	c.JSON(http.StatusOK, gin.H{"ok": true})
}

func logGin(c *gin.Context) { audit(c.Param("id")) }

// gin: handed as an argument.
func GinArgument(c *gin.Context) {
	go logGin(c) // want "request-captured-by-goroutine: .*still uses c"
}

// echo.
func EchoHandler(c echo.Context) error {
	go func() {
		audit(c.Param("id")) // want "request-captured-by-goroutine: .*c \\(echo.Context\\)"
	}()
	return c.JSON(http.StatusOK, nil)
}

// fiber.
func FiberHandler(c *fiber.Ctx) error {
	go func() {
		audit(c.Params("id")) // want "request-captured-by-goroutine: .*c \\(\\*fiber.Ctx\\)"
	}()
	return c.SendString("ok")
}

var lastRequest func()

// A closure over the request stored in a package variable.
func Remember(w http.ResponseWriter, r *http.Request) {
	lastRequest = func() {
		audit(r.URL.Path) // want "request-captured-by-goroutine: Closure in lastRequest outlives the handler and uses r"
	}
}

var callbacks = map[string]func(){}

// Stored in a map.
func Register(w http.ResponseWriter, r *http.Request) {
	callbacks[r.URL.Path] = func() {
		audit(r.Method) // want "request-captured-by-goroutine: Closure in callbacks\\[r.URL.Path\\] outlives the handler and uses r"
	}
}

type Server struct {
	onDone func()
}

// A method handler storing a closure in a field.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.onDone = func() {
		audit(r.RemoteAddr) // want "request-captured-by-goroutine: Closure in s.onDone outlives the handler and uses r"
	}
	go func() {
		audit(r.UserAgent()) // want "request-captured-by-goroutine: .*still uses r"
	}()
}

// A handler written as a function literal; the goroutine reads a header.
func Routes(mux *http.ServeMux) {
	mux.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		go func() {
			audit(r.Header.Get("User-Agent")) // want "request-captured-by-goroutine: .*still uses r"
		}()
	})
}

// A select with a ctx.Done() case: when the client goes away the handler returns first.
func Selects(w http.ResponseWriter, r *http.Request) {
	res := make(chan int, 1)
	go func() { res <- len(r.URL.Path) }() // want "request-captured-by-goroutine: .*still uses r"
	select {
	case n := <-res:
		audit(n)
	case <-r.Context().Done():
	}
}
