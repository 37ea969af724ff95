module example.com/vmmanager

go 1.19
