package cmdutil

import (
	"io"
	"os"
	"testing"
)

func TestFD(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := FD(w.Fd()).Write([]byte("ab")); n != 2 || err != nil {
		t.Fatalf("write: %d, %v", n, err)
	}
	w.Close()
	in := FD(r.Fd())
	var got []byte
	b := make([]byte, 1)
	for {
		n, err := in.Read(b)
		if err == io.EOF {
			break
		}
		if err != nil || n != 1 {
			t.Fatalf("read: %d, %v", n, err)
		}
		got = append(got, b[0])
	}
	if string(got) != "ab" {
		t.Errorf("read %q", got)
	}
	if _, err := FD(^uintptr(0) >> 1).Write([]byte("x")); err == nil {
		t.Error("a write to a bad descriptor succeeded")
	}
}
