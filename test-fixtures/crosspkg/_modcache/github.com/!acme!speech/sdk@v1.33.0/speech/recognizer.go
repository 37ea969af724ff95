// Package speech stands in for a vendor speech SDK in the Go module cache, shaped like the
// one behind a real incident: StartContinuousRecognitionAsync returns an unbuffered channel
// that a goroutine sends the outcome on. A caller that ignores it leaks that goroutine.
package speech

import "errors"

// SpeechConfig holds the subscription settings.
type SpeechConfig struct{ Key string }

// SpeechRecognizer recognizes speech.
type SpeechRecognizer struct{ config *SpeechConfig }

// NewSpeechRecognizerFromConfig makes a recognizer.
func NewSpeechRecognizerFromConfig(config *SpeechConfig) (*SpeechRecognizer, error) {
	if config == nil {
		return nil, errors.New("speech: no config")
	}
	return &SpeechRecognizer{config: config}, nil
}

// StartContinuousRecognitionAsync starts recognition; the returned channel reports the outcome.
func (r *SpeechRecognizer) StartContinuousRecognitionAsync() chan error {
	outcome := make(chan error)
	go func() {
		outcome <- r.start()
	}()
	return outcome
}

// StopContinuousRecognitionAsync stops recognition; its outcome channel has room for the
// answer, so ignoring it leaks nothing.
func (r *SpeechRecognizer) StopContinuousRecognitionAsync() chan error {
	outcome := make(chan error, 1)
	go func() {
		outcome <- nil
	}()
	return outcome
}

// RecognizeOnceAsync recognizes one utterance.
func RecognizeOnceAsync(config *SpeechConfig) <-chan error {
	done := make(chan error)
	go func() {
		done <- nil
	}()
	return done
}

func (r *SpeechRecognizer) start() error { return nil }
