package requestcaptured

import "net/http"

// ハンドラー 🌐: リクエストを捕まえる
func 処理(w http.ResponseWriter, r *http.Request) {
	go func() {
		audit("パス", r.URL.Path) // want "request-captured-by-goroutine: .*still uses r"
	}()
	w.Write([]byte("受付 ✅"))
}
