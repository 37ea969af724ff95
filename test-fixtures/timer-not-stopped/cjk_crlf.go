package timernotstopped

import "time"

// タイマー ⏲ を止めない
func 待つ(ch <-chan string) string {
	t := time.NewTimer(time.Second) // want "timer-not-stopped: Timer 't' is never stopped"
	select {
	case s := <-ch: // 受信 📨
		return s
	case <-t.C:
		return "時間切れ"
	}
}
