package goroutinewithoutcancel

import (
	"context"
	"time"
)

// 監視ループ 🔁: 終わらない
func 監視(ctx context.Context) {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 11 never checks ctx\\.Done\\(\\).*ctx is in scope"
		for {
			time.Sleep(time.Second) // 😴
		}
	}()
}
