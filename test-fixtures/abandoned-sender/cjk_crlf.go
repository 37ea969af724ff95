package abandonedsender

import "time"

// タイムアウト付きの取得 ⏱
func 取得() (string, bool) {
	結果 := make(chan string) // want "abandoned-sender: Goroutine leaks if the timeout wins: its send on line 10 blocks forever.*\\(a timeout\\).*'結果'"
	go func() {
		time.Sleep(slowness)
		結果 <- "データ 📦"
	}()
	select {
	case v := <-結果:
		return v, true
	case <-time.After(patience): // 諦める
		return "", false
	}
}
