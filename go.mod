module github.com/vigil-hunt/vigil

go 1.26
