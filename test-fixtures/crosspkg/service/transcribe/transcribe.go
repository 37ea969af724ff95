// Package transcribe is a service that follows the vendor's sample, SDK from the module cache.
package transcribe

import (
	"github.com/AcmeSpeech/sdk/speech"
)

// Start ignores the outcome channel, as the vendor's sample did: every call leaks one goroutine.
func Start(cfg *speech.SpeechConfig) error {
	recognizer, err := speech.NewSpeechRecognizerFromConfig(cfg)
	if err != nil {
		return err
	}
	recognizer.StartContinuousRecognitionAsync() // want "discarded-result-chan: SpeechRecognizer.StartContinuousRecognitionAsync\\(\\) leaks a goroutine: its channel is dropped here\\. The channel returned by speech.SpeechRecognizer.StartContinuousRecognitionAsync\\(\\) is discarded, but a goroutine started by SpeechRecognizer.StartContinuousRecognitionAsync \\(recognizer.go:24 in github.com/AcmeSpeech/sdk/speech\\)"
	return nil
}

// Once drops the result of a package-level function of the SDK.
func Once(cfg *speech.SpeechConfig) {
	speech.RecognizeOnceAsync(cfg) // want "discarded-result-chan: speech.RecognizeOnceAsync\\(\\) leaks a goroutine: its channel is dropped here\\. The channel returned by speech.RecognizeOnceAsync\\(\\) is discarded"
}

// Blank assigns it to the blank identifier.
func Blank(cfg *speech.SpeechConfig) {
	_ = speech.RecognizeOnceAsync(cfg) // want "discarded-result-chan: speech.RecognizeOnceAsync\\(\\) leaks a goroutine: its channel is dropped here\\. The channel returned by speech.RecognizeOnceAsync\\(\\) is discarded"
}

// Param takes the recognizer as a parameter.
func Param(r *speech.SpeechRecognizer) {
	defer r.StartContinuousRecognitionAsync() // want "discarded-result-chan: SpeechRecognizer.StartContinuousRecognitionAsync\\(\\) leaks a goroutine: its channel is dropped here\\. The channel returned by speech.SpeechRecognizer.StartContinuousRecognitionAsync\\(\\) is discarded"
}

// ok: the outcome is received.
func StartAndWait(cfg *speech.SpeechConfig) error {
	recognizer, err := speech.NewSpeechRecognizerFromConfig(cfg)
	if err != nil {
		return err
	}
	return <-recognizer.StartContinuousRecognitionAsync()
}

// ok: the stop outcome is buffered in the SDK.
func Stop(r *speech.SpeechRecognizer) {
	r.StopContinuousRecognitionAsync()
}
