package goroutinewithoutcancel

import (
	"context"
	"time"
)

// 監視ループ 🔁: 終わらない
func 監視(ctx context.Context) {
	go func() { // want "goroutine-without-cancel: .*`for {}` loop on line 11.*ctx is in scope"
		for {
			time.Sleep(time.Second) // 😴
		}
	}()
}
