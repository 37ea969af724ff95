module example.com/fixtures/go123

go 1.23
