module example.com/fixtures/go125

go 1.25
