module example.com/service

go 1.19

require github.com/AcmeSpeech/sdk v1.33.0
