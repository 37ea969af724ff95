package discardedresultchan

func useStart() {
	Start() // want "discarded-result-chan: Start\\(\\) leaks a goroutine: its channel is dropped here"
}

func useLocalRecognizer() {
	rec := &Recognizer{name: "a"}
	rec.StartAsync() // want "discarded-result-chan: .*Recognizer.StartAsync\\(\\)"
}

func useParam(r *Recognizer) {
	r.StartAsync() // want "discarded-result-chan: .*Recognizer.StartAsync"
}

func (r *Recognizer) Restart() {
	r.StartAsync() // want "discarded-result-chan: .*Recognizer.StartAsync"
}

func useVar() {
	var rec Recognizer
	rec.StartAsync() // want "discarded-result-chan: .*Recognizer.StartAsync"
}

func useDefer() {
	defer Start() // want "discarded-result-chan: .*Start\\(\\)"
}

func useDeferMethod(r *Recognizer) {
	defer r.StartAsync() // want "discarded-result-chan: .*StartAsync"
}

func useGo() {
	go Start() // want "discarded-result-chan: .*Start\\(\\)"
}

func useBlank() {
	_ = Start() // want "discarded-result-chan: .*Start\\(\\)"
}

func useMulti() error {
	_, err := Open("f") // want "discarded-result-chan: .*Open\\(\\)"
	return err
}

func useMultiBlank() {
	_, _ = Open("g") // want "discarded-result-chan: .*Open\\(\\)"
}

func useGeneric() {
	Async(func() int { return 1 }) // want "discarded-result-chan: .*Async\\(\\)"
}

func useInClosure() {
	func() {
		Start() // want "discarded-result-chan: .*Start\\(\\)"
	}()
}

func useComposite() {
	rec := Recognizer{}
	rec.StartAsync() // want "discarded-result-chan: .*StartAsync"
}
