module github.com/LK4D4/joincontext

go 1.19
