// Package cli is a tiny local stand-in for github.com/urfave/cli/v2: just enough API for the fixtures.
package cli

// Context is what a command's Action receives.
type Context struct{ Args []string }
