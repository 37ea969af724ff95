package discardedresultchan

// 呼び出し側 🚀: 結果を捨てる
func 捨てる() {
	Start() // want "discarded-result-chan: .*Start\\(\\)"
	rec := &Recognizer{name: "レコーダー 🎙"}
	rec.StartAsync() // want "discarded-result-chan: .*StartAsync"
}
