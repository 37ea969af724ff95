module example.com/harness

go 1.19

require (
	example.com/service v0.0.0
	example.com/vmmanager v0.0.0
	github.com/AcmeSpeech/sdk v1.33.0
)

// The runtime proof builds the service against the fake module-cache SDK.
replace (
	example.com/service => ../service
	example.com/vmmanager => ../vmmanager
	github.com/AcmeSpeech/sdk => ../_modcache/github.com/!acme!speech/sdk@v1.33.0
)
