package tests

// functab_test checks the function table (kern/functab) on the real kernel:
// known signatures, inlining, the build identity, and that the table
// //kern:functab wrote is the one Build makes now and survives Encode and
// Decode. Bazel passes the paths (//tests:functab_test):
//
//	-kernel=$(rootpath //kern:kernel) -functab=$(rootpath //kern:functab) -require

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"gojos/kern/functab"
	"gojos/kern/functab/elfbuild"
	"gojos/tools/mkimage/image"
)

var functabPath = flag.String("functab", "", "function table built from -kernel (//kern:functab)")

// The -kernel and -require flags are image_test.go's when it is compiled
// in (go test ./tests); this test's Bazel target has only this file.
func init() {
	if flag.Lookup("kernel") == nil {
		flag.String("kernel", "", "kernel ELF")
	}
	if flag.Lookup("image") == nil {
		flag.String("image", "", "raw disk image (jos.img)")
	}
	if flag.Lookup("require") == nil {
		flag.Bool("require", false, "fail instead of skipping when a path is not given")
	}
}

// flagArtifact reads the file a flag names (skipping the test when it is
// not given and -require is not set), from the runfiles root under Bazel.
func flagArtifact(t *testing.T, name string) []byte {
	t.Helper()
	path := flag.Lookup(name).Value.String()
	if path == "" {
		if flag.Lookup("require").Value.String() == "true" {
			t.Fatalf("-%s not given (and -require is set)", name)
		}
		t.Skipf("-%s not given: run `bazel test //tests:functab_test`", name)
	}
	return readArtifact(t, path)
}

func kernelTable(t *testing.T) (*functab.Table, *elf.File) {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(flagArtifact(t, "kernel")))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := elfbuild.Build(f)
	if err != nil {
		t.Fatal(err)
	}
	return tab, f
}

func kernelFunc(t *testing.T, tab *functab.Table, name string) *functab.Func {
	t.Helper()
	f, err := tab.ByName(name)
	if err != nil {
		t.Fatalf("the kernel's function table: %v", err)
	}
	return f
}

func TestFunctabSignatures(t *testing.T) {
	tab, _ := kernelTable(t)
	for name, want := range map[string]string{
		"gojos/kern/kdemo.kpatch_test1":       "func() int32",
		"gojos/kern/kdemo.kpatch_test2":       "func() int32",
		"gojos/kern/proc.RegisterProcFile":    "func(name string, gen func() []uint8)",
		"gojos/kern/proc.utsRelease":          "func(buf *[65]uint8) int32",
		"gojos/kern/kdemo.ReleaseLivepatched": "func(buf *[65]uint8) int32",
		"gojos/kern/ksym.Parse":               "func(symtab []uint8, strtab []uint8, sections []gojos/kern/ksym.Section) (*gojos/kern/ksym.Table, error)",
		"runtime.mallocgc":                    "func(size uintptr, typ *internal/abi.Type, needzero bool) unsafe.Pointer",
	} {
		f := kernelFunc(t, tab, name)
		if got := f.Signature(); got != want {
			t.Errorf("%s: signature %q, want %q", name, got, want)
		}
		if f.Flags&functab.FlagPCArgs == 0 || int64(f.ArgsSize) != int64(f.PCArgs) {
			t.Errorf("%s: frame %d bytes, the pclntab says %d", name, f.ArgsSize, f.PCArgs)
		}
	}
	k := kernelFunc(t, tab, "gojos/kern/kdemo.kpatch_test1")
	if k.ArgsSize != 4 || k.Results[0].Type.Class != functab.ClassInt || k.Hash() != functab.SigHash("func() int32") {
		t.Errorf("kpatch_test1: frame %d, result %+v, hash %#x", k.ArgsSize, k.Results, k.Hash())
	}
	var classes []functab.Class
	for _, p := range kernelFunc(t, tab, "gojos/kern/proc.RegisterProcFile").Params {
		classes = append(classes, p.Type.Class)
	}
	if want := []functab.Class{functab.ClassString, functab.ClassOther}; !reflect.DeepEqual(classes, want) {
		t.Errorf("RegisterProcFile's parameter classes %v, want %v", classes, want)
	}
	if m := kernelFunc(t, tab, "runtime.memmove"); m.Flags&(functab.FlagAsm|functab.FlagNoSplit) != functab.FlagAsm|functab.FlagNoSplit || m.ArgsSize != 12 {
		t.Errorf("runtime.memmove: %v, frame %d", m.Flags, m.ArgsSize)
	}
	if s, err := tab.Stats(); err != nil || s.FrameMismatch != 0 || s.Sig < s.Funcs*8/10 || s.Kern == 0 {
		t.Errorf("stats: %v, %v", s, err)
	}
}

func TestFunctabInlining(t *testing.T) {
	tab, _ := kernelTable(t)
	// kpatch.lookupFunction calls Kind.String twice; the compiler inlines it. If
	// the code changes, pick another small kernel function inlined into a
	// known caller.
	const callee, caller = "gojos/kern/ksym.Kind.String", "gojos/kern/kpatch.lookupFunction"
	f := kernelFunc(t, tab, callee)
	if f.Flags&functab.FlagInlined == 0 || !slices.Contains(tab.Callers(f), caller) {
		t.Errorf("%s (%v) is inlined into %q; want %s among them", callee, f.Flags, tab.Callers(f), caller)
	}
	if f := kernelFunc(t, tab, "gojos/kern/kdemo.kpatch_test1"); f.Flags&functab.FlagInlined != 0 {
		t.Errorf("kpatch_test1 (go:noinline) is inlined into %q", tab.Callers(f))
	}
}

func TestFunctabIdentity(t *testing.T) {
	tab, f := kernelTable(t)
	note := f.Section(".note.go.buildid")
	if note == nil {
		t.Fatal("kernel has no .note.go.buildid")
	}
	b, err := note.Data()
	if err != nil || len(b) < 16 {
		t.Fatalf(".note.go.buildid: %d bytes, %v", len(b), err)
	}
	descsz := f.ByteOrder.Uint32(b[4:])
	if id := string(b[16 : 16+descsz]); tab.BuildID != id || id == "" {
		t.Errorf("table build id %q, the note says %q", tab.BuildID, id)
	}
	h := sha256.New()
	for _, name := range []string{".text", ".gopclntab"} {
		d, err := f.Section(name).Data()
		if err != nil {
			t.Fatal(err)
		}
		h.Write(d)
	}
	if !bytes.Equal(h.Sum(nil), tab.ImageHash[:]) {
		t.Errorf("image hash %x, want SHA-256 of .text and .gopclntab", tab.ImageHash)
	}
}

// The disk image's kernel carries the table's image hash (mkimage ran
// functab.Stamp), so the kernel checks /boot/functab without hashing its
// text; //kern:kernel itself still holds the marker.
func TestImageKernelStamped(t *testing.T) {
	tab, _ := kernelTable(t)
	img := flagArtifact(t, "image")
	if len(img) < (image.HeaderLBA+1)*image.SectorSize {
		t.Fatalf("the image is %d bytes, too short for its header", len(img))
	}
	h, err := image.ParseHeader(img[image.HeaderLBA*image.SectorSize:])
	if err != nil {
		t.Fatal(err)
	}
	end := uint64(h.KernelLBA)*image.SectorSize + uint64(h.KernelSize)
	if end > uint64(len(img)) {
		t.Fatalf("the header puts the kernel past the image's end (%d > %d)", end, len(img))
	}
	kernel := img[uint64(h.KernelLBA)*image.SectorSize : end]
	got, err := elfbuild.ReadStamp(kernel, functab.StampSymbol)
	if err != nil {
		t.Fatal(err)
	}
	if got != tab.ImageHash {
		t.Errorf("the image's kernel says its image hash is %x, the table %x", got, tab.ImageHash)
	}
	unstamped, err := elfbuild.ReadStamp(flagArtifact(t, "kernel"), functab.StampSymbol)
	if err != nil || string(unstamped[:]) != functab.StampMarker {
		t.Errorf("//kern:kernel's %s: %q, %v; want the marker", functab.StampSymbol, unstamped, err)
	}
}

func TestFunctabEncoding(t *testing.T) {
	tab, _ := kernelTable(t)
	enc, err := functab.Encode(tab)
	if err != nil {
		t.Fatal(err)
	}
	back, err := functab.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Same(tab); err != nil {
		t.Errorf("the table changed through Encode and Decode: %v", err)
	}
	built := flagArtifact(t, "functab")
	if !bytes.Equal(built, enc) {
		t.Errorf("//kern:functab (%d bytes) is not the table of this kernel (%d bytes)", len(built), len(enc))
	}
}

// readArtifact reads a $(rootpath ...) path, relative to the main
// repository's runfiles root when the test runs elsewhere.
func readArtifact(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(path) && os.Getenv("TEST_SRCDIR") != "" {
		b, err = os.ReadFile(filepath.Join(os.Getenv("TEST_SRCDIR"), "_main", path))
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}
