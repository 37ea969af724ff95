package unbufferedresultchan

// 日本語のコメント: 結果チャネル 😀
func 返す() chan string {
	結果 := make(chan string) // want "unbuffered-result-chan: .*'結果'"
	go func() {
		結果 <- "完了 ✅" // 送信
	}()
	return 結果
}

// ok: 🙂 buffered
func 安全() chan string {
	c := make(chan string, 1)
	go func() { c <- "😀" }()
	return c
}
