package main

import (
	"os"
	"testing"
)

// TestDocCurrent fails when docs/syscalls.md is not what the tables make.
func TestDocCurrent(t *testing.T) {
	path := "../../docs/syscalls.md"
	if p := os.Getenv("SYSCALLS_MD"); p != "" {
		path = p
	}
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	shim, proc, _ := tables()
	if want := Render(shim, proc); string(have) != want {
		t.Errorf("docs/syscalls.md is not current; run: GOARCH=386 go run ./tools/mksyscalls > docs/syscalls.md")
	}
}
