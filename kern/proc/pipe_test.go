package proc

import (
	"errors"
	"io"
	"testing"
	"time"

	"gojos/kern/abi/linux"
)

func TestPipeReadWrite(t *testing.T) {
	r, w := newPipe()
	if n, err := w.Write([]byte("hello")); n != 5 || err != nil {
		t.Fatal(n, err)
	}
	b := make([]byte, 3)
	if n, err := r.Read(b); n != 3 || err != nil || string(b) != "hel" {
		t.Fatal(n, err, string(b))
	}
	w.Close()
	if n, err := r.Read(b); n != 2 || err != nil || string(b[:2]) != "lo" {
		t.Fatal(n, err)
	}
	if _, err := r.Read(b); err != io.EOF {
		t.Fatalf("read after the writer closed: %v, want EOF", err)
	}
	if _, err := r.Write(b); !errors.Is(err, linux.Errno(linux.EBADF)) {
		t.Fatalf("write to the read end: %v", err)
	}
	if _, err := w.Read(b); !errors.Is(err, linux.Errno(linux.EBADF)) {
		t.Fatalf("read from the write end: %v", err)
	}
}

func TestPipeEPIPE(t *testing.T) {
	r, w := newPipe()
	r.Close()
	if _, err := w.Write([]byte("x")); !errors.Is(err, linux.Errno(linux.EPIPE)) {
		t.Fatalf("write with no reader: %v, want EPIPE", err)
	}
}

// A process killed while it waits on a pipe must not stay blocked (its
// parent could never reap it): the wait is cancelled.
func TestPipeCancel(t *testing.T) {
	r, w := newPipe()
	dead := make(chan struct{})
	res := make(chan error, 1)
	go func() {
		_, err := r.ReadCancel(make([]byte, 8), dead)
		res <- err
	}()
	time.Sleep(10 * time.Millisecond)
	close(dead)
	select {
	case err := <-res:
		if !errors.Is(err, linux.Errno(linux.EINTR)) {
			t.Fatalf("cancelled read: %v, want EINTR", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelled read still blocked")
	}
	// The data written afterwards is still there for the next reader.
	w.Write([]byte("z"))
	b := make([]byte, 1)
	if n, err := r.Read(b); n != 1 || err != nil || b[0] != 'z' {
		t.Fatal(n, err)
	}

	big := make([]byte, PipeCap+10)
	dead2 := make(chan struct{})
	wres := make(chan int, 1)
	go func() {
		n, _ := w.WriteCancel(big, dead2)
		wres <- n
	}()
	time.Sleep(10 * time.Millisecond)
	close(dead2)
	select {
	case n := <-wres:
		if n != PipeCap {
			t.Fatalf("cancelled write wrote %d, want %d (what fitted)", n, PipeCap)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelled write still blocked")
	}
}

func TestPipeWriterWaitsForRoom(t *testing.T) {
	r, w := newPipe()
	big := make([]byte, 3*PipeCap)
	done := make(chan int, 1)
	go func() {
		n, _ := w.Write(big)
		done <- n
	}()
	got := 0
	b := make([]byte, 10000)
	for got < len(big) {
		n, err := r.Read(b)
		if err != nil {
			t.Fatal(err)
		}
		got += n
	}
	if n := <-done; n != len(big) {
		t.Fatalf("wrote %d", n)
	}
}
