module example.com/fixtures

go 1.19

require (
	github.com/LK4D4/joincontext v0.0.0-20171026170139-1724345da6d5
	github.com/gin-gonic/gin v1.9.1
	github.com/go-chi/chi/v5 v5.0.10
	github.com/gofiber/fiber/v2 v2.50.0
	github.com/labstack/echo/v4 v4.11.0
	github.com/urfave/cli/v2 v2.27.0
)

// The web frameworks (and joincontext, cli) are tiny local stand-ins (no module downloads here): just
// enough API for the fixtures to compile.
replace (
	github.com/LK4D4/joincontext => ./stubs/joincontext
	github.com/gin-gonic/gin => ./stubs/gin
	github.com/go-chi/chi/v5 => ./stubs/chi
	github.com/gofiber/fiber/v2 => ./stubs/fiber
	github.com/labstack/echo/v4 => ./stubs/echo
	github.com/urfave/cli/v2 => ./stubs/cli
)
