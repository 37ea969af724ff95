package goroutinewithoutcancel

// shutdown closes remoteQueue's channel through a local name.
func (q *remoteQueue) shutdown() {
	ch := q.calls
	close(ch)
}
