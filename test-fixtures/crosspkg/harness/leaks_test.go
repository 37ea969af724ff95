//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

// The runtime proof for the speech-SDK incident: calling the service's Start leaves a
// goroutine parked in `chan send` inside the SDK; after leaklint's fix (run by the test
// suite on a copy, LEAKLINT_FIXED=1) it leaves none.
package harness

import (
	"os"
	"testing"
	"time"

	"example.com/service/transcribe"
	"github.com/AcmeSpeech/sdk/speech"
)

func TestStartLeaksUntilFixed(t *testing.T) {
	cfg := &speech.SpeechConfig{Key: "k"}
	for i := 0; i < 10; i++ {
		if err := transcribe.Start(cfg); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	parked := parked("chan send", "speech.(*SpeechRecognizer).StartContinuousRecognitionAsync")
	if os.Getenv("LEAKLINT_FIXED") == "1" {
		if parked != 0 {
			t.Fatalf("after the fix, %d goroutines are still parked in the SDK's send", parked)
		}
		t.Logf("fixed: no goroutine left in the SDK")
		return
	}
	if parked != 10 {
		t.Fatalf("expected 10 goroutines parked in the SDK's send, found %d", parked)
	}
	t.Logf("leak shown: %d goroutines parked in chan send in the SDK", parked)
}
