package goroutinewithoutcancel

type daemon struct{ flushes int }

func (d *daemon) flush() { d.flushes++ }

// NewDaemon sets the daemon up; "setupFlusher" in a string or a comment is not a call.
func NewDaemon() *daemon {
	d := &daemon{}
	_ = "setupFlusher" // setupFlusher()
	d.setupFlusher()
	return d
}
