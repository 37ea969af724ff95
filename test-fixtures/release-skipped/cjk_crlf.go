package releaseskipped

import "log"

// 進捗を閉じる前に戻ると、ゴルーチンが残る。
func 送信(parts []string, bad func(string) bool) bool {
	進捗 := make(chan string)
	go func() {
		for p := range 進捗 {
			log.Println("✅", p)
		}
	}()
	for _, p := range parts {
		if bad(p) {
			return false
		}
		進捗 <- p
	}
	close(進捗) // want "release-skipped: Goroutine leaks if the function returns on line 15: close\\(進捗\\) on line 19 is skipped"
	return true
}
