package abandonedsender

import (
	"errors"
	"testing"
	"time"
)

type lookupCase struct {
	key  string
	want string
	err  chan error
}

func slowLookup(key string) (string, error) {
	time.Sleep(5 * time.Millisecond)
	if key == "" {
		return "", errors.New("empty key")
	}
	return key, nil
}

// One channel per case, one goroutine per case, and a collecting loop that stops at the
// first failure (go-ethereum's filter subscription tests).
func checkLookups(t testing.TB, cases []lookupCase) {
	for i := range cases {
		cases[i].err = make(chan error) // want "abandoned-sender: Goroutines leak if the collecting loop stops at t.Fatalf \\(line \\d+\\): sends on 'cases\\[i\\].err' block"
	}
	for n, c := range cases {
		i := n
		tc := c
		go func() {
			got, err := slowLookup(tc.key)
			if err != nil {
				tc.err <- err
				return
			}
			if got != tc.want {
				tc.err <- errors.New("case " + string(rune('0'+i)) + ": wrong value")
				return
			}
			tc.err <- nil
		}()
	}
	for i := range cases {
		if err := <-cases[i].err; err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
	}
}

// ok: the collecting loop reads every case's channel, and reports failures with t.Errorf.
func checkLookupsAll(t testing.TB, cases []lookupCase) {
	for i := range cases {
		cases[i].err = make(chan error)
	}
	for _, c := range cases {
		tc := c
		go func() {
			_, err := slowLookup(tc.key)
			tc.err <- err
		}()
	}
	for i := range cases {
		if err := <-cases[i].err; err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

// ok: each case's channel has room for its one send.
func checkLookupsBuffered(t testing.TB, cases []lookupCase) {
	for i := range cases {
		cases[i].err = make(chan error, 1)
	}
	for _, c := range cases {
		tc := c
		go func() {
			_, err := slowLookup(tc.key)
			tc.err <- err
		}()
	}
	for i := range cases {
		if err := <-cases[i].err; err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
	}
}
