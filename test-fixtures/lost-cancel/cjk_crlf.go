package lostcancel

import "context"

// 取消関数を捨てると、子コンテキストは親と同じだけ生きる。✅
func 監視(親 context.Context) {
	ctx, _ := context.WithCancel(親) // want "lost-cancel: Context leaks: the cancel function from context\\.WithCancel is discarded"
	watch(ctx)
}
