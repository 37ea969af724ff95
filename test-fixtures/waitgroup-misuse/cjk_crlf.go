package waitgroupmisuse

import "sync"

// 並行処理 🧵: Done を忘れる
func 並行(仕事 []func() error) {
	var wg sync.WaitGroup
	for _, f := range 仕事 {
		wg.Add(1)
		go func(f func() error) { // want "waitgroup-misuse: .*the return on line 13 skips it"
			if err := f(); err != nil {
				// エラー 😱
				return
			}
			wg.Done()
		}(f)
	}
	wg.Wait()
}
