// Package other is a different package with a leaky Start of its own.
package other

func Start() chan int {
	ch := make(chan int) // want "unbuffered-result-chan: .*'ch'"
	go func() { ch <- 1 }()
	return ch
}
