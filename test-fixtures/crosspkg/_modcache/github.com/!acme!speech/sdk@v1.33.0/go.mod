module github.com/AcmeSpeech/sdk

go 1.19
