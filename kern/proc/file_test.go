package proc

import (
	"errors"
	"io/fs"
	"math"
	"testing"

	"gojos/kern/abi/linux"
)

type testFile struct{ closed *int }

func (f testFile) Read([]byte) (int, error)    { return 0, nil }
func (f testFile) Write(p []byte) (int, error) { return len(p), nil }
func (f testFile) Close() error                { *f.closed++; return nil }
func (f testFile) Stat() (fs.FileInfo, error)  { return fakeInfo{"test", 0, 0o600}, nil }

func newTestTable() (*FileTable, *int) {
	closed := new(int)
	return NewFileTable(testFile{closed}), closed
}

// F_DUPFD's argument is unsigned long: 0xffffffff once reached installOf
// as -1 and indexed the table with it (finding 1: the kernel died).
func TestDupMinOutOfRange(t *testing.T) {
	ft, closed := newTestTable()
	for _, min := range []int{-1, math.MinInt32, MaxFDs, MaxFDs + 1, math.MaxInt32} {
		if fd, err := ft.Dup(0, min, false); !errors.Is(err, linux.Errno(linux.EINVAL)) {
			t.Errorf("Dup(0, %d) = %d, %v; want EINVAL", min, fd, err)
		}
	}
	if fd, err := ft.Dup(-1, 0, false); !errors.Is(err, linux.Errno(linux.EBADF)) {
		t.Errorf("Dup(-1, 0) = %d, %v; want EBADF", fd, err)
	}
	// The failed dups took no reference: closing the three descriptors
	// closes the file exactly once.
	for fd := 0; fd < 3; fd++ {
		if err := ft.Close(fd); err != nil {
			t.Fatal(err)
		}
	}
	if *closed != 1 {
		t.Errorf("file closed %d times, want 1", *closed)
	}
}

func TestDupLowestFree(t *testing.T) {
	ft, _ := newTestTable()
	if fd, err := ft.Dup(0, 0, false); fd != 3 || err != nil {
		t.Fatalf("Dup(0, 0) = %d, %v; want 3", fd, err)
	}
	if fd, err := ft.Dup(0, 10, true); fd != 10 || err != nil {
		t.Fatalf("Dup(0, 10) = %d, %v; want 10", fd, err)
	}
	if ce, _ := ft.Cloexec(10); !ce {
		t.Error("F_DUPFD_CLOEXEC's descriptor is not close-on-exec")
	}
	if fd, err := ft.Dup(0, MaxFDs-1, false); fd != MaxFDs-1 || err != nil {
		t.Fatalf("Dup(0, MaxFDs-1) = %d, %v", fd, err)
	}
	if fd, err := ft.Dup(0, MaxFDs-1, false); !errors.Is(err, linux.Errno(linux.EMFILE)) {
		t.Fatalf("Dup into a taken last slot = %d, %v; want EMFILE", fd, err)
	}
}

func TestTableFull(t *testing.T) {
	ft, closed := newTestTable()
	for i := 3; i < MaxFDs; i++ {
		if _, err := ft.Dup(0, 0, false); err != nil {
			t.Fatalf("dup %d: %v", i, err)
		}
	}
	if _, err := ft.Dup(0, 0, false); !errors.Is(err, linux.Errno(linux.EMFILE)) {
		t.Fatalf("dup into a full table: %v, want EMFILE", err)
	}
	if ft.Len() != MaxFDs {
		t.Fatalf("Len = %d", ft.Len())
	}
	ft.CloseAll()
	if *closed != 1 {
		t.Errorf("closed %d times, want 1", *closed)
	}
}

func TestBadDescriptors(t *testing.T) {
	ft, _ := newTestTable()
	for _, fd := range []int{-1, math.MinInt32, 3, MaxFDs, math.MaxInt32} {
		if err := ft.Close(fd); !errors.Is(err, linux.Errno(linux.EBADF)) {
			t.Errorf("Close(%d) = %v, want EBADF", fd, err)
		}
		if _, err := ft.Get(fd); !errors.Is(err, linux.Errno(linux.EBADF)) {
			t.Errorf("Get(%d) = %v, want EBADF", fd, err)
		}
		if err := ft.SetCloexec(fd, true); !errors.Is(err, linux.Errno(linux.EBADF)) {
			t.Errorf("SetCloexec(%d) = %v, want EBADF", fd, err)
		}
		if err := ft.Dup2(fd, 5, false); !errors.Is(err, linux.Errno(linux.EBADF)) {
			t.Errorf("Dup2(%d, 5) = %v, want EBADF", fd, err)
		}
		if fd < 0 || fd >= MaxFDs {
			if err := ft.Dup2(0, fd, false); !errors.Is(err, linux.Errno(linux.EBADF)) {
				t.Errorf("Dup2(0, %d) = %v, want EBADF", fd, err)
			}
		}
	}
}

func TestDup2(t *testing.T) {
	ft, closed := newTestTable()
	other := new(int)
	fd, err := ft.Install(testFile{other}, 0, false, 0)
	if fd != 3 || err != nil {
		t.Fatalf("Install = %d, %v", fd, err)
	}
	if err := ft.Dup2(0, 3, true); err != nil {
		t.Fatal(err)
	}
	if *other != 1 {
		t.Error("Dup2 did not close the file it replaced")
	}
	if err := ft.Dup2(0, MaxFDs-1, false); err != nil {
		t.Fatal(err)
	}
	if err := ft.Dup2(1, 1, false); err != nil {
		t.Fatal(err)
	}
	ft.CloseOnExec()
	if _, err := ft.Get(3); err == nil {
		t.Error("close-on-exec descriptor survived CloseOnExec")
	}
	ft.CloseAll()
	if *closed != 1 {
		t.Errorf("closed %d times, want 1", *closed)
	}
	// A closed table (the process exited) takes nothing more.
	if _, err := ft.Install(testFile{other}, 0, false, 0); !errors.Is(err, linux.Errno(linux.EBADF)) {
		t.Errorf("Install after CloseAll: %v, want EBADF", err)
	}
}

func TestForkSharesFiles(t *testing.T) {
	ft, closed := newTestTable()
	child := ft.Fork()
	ft.CloseAll()
	if *closed != 0 {
		t.Fatal("file closed while the child still has it")
	}
	child.CloseAll()
	if *closed != 1 {
		t.Fatalf("closed %d times, want 1", *closed)
	}
}

func TestOpenFileFlags(t *testing.T) {
	ft, _ := newTestTable()
	of, _ := ft.Get(0)
	of.SetFlags(0x800, 0xffffffff)
	if of.Flags() != linux.O_RDWR|0x800 {
		t.Errorf("flags %#x", of.Flags())
	}
	of.SetFlags(0x800, 0)
	if of.Flags() != linux.O_RDWR {
		t.Errorf("flags %#x", of.Flags())
	}
}
