package kmain

import (
	"strings"

	"gojos/kern/klog"
	"gojos/kern/kpatch"
)

// The hooks user space's live-patching and module calls go through
// (kern/proc): each change to the running kernel is also a line in the
// kernel log, at KERN_INFO (logged, not echoed: the tools print their own
// result).

func loggedCtl(req string) (string, error) {
	out, err := kpatch.Ctl(req)
	if err == nil && changesText(req, out) {
		line, _, _ := strings.Cut(out, "\n")
		klog.PrintParts(klog.Info, "kpatch: ", line, "\n")
	}
	return out, err
}

// changesText reports whether a successful ctl request patched or
// unpatched, by its answer: the first line of kpatch's is "patched …" or
// "unpatched …" exactly then.
func changesText(req, out string) bool {
	return strings.HasPrefix(req, "kpatch") && (strings.HasPrefix(out, "patched ") || strings.HasPrefix(out, "unpatched "))
}

func loggedLoad(data []byte, name string) error {
	m, err := kpatch.LoadModule(data, name) // a livepatch module's table is switched on too
	if err != nil {
		klog.Printf(klog.Info, "module: load refused: %v\n", err)
		return err
	}
	lo, _ := m.Text()
	klog.Printf(klog.Info, "module %s: loaded at %#x, %d bytes\n", m.Name, lo, m.Size)
	if m.Livepatch != nil {
		klog.Printf(klog.Info, "%s", kpatch.LivepatchLast())
	}
	return nil
}

func loggedUnload(name string) error {
	if err := kpatch.UnloadModule(name); err != nil { // a livepatch module's patches are reverted first
		return err
	}
	klog.Printf(klog.Info, "module %s: unloaded\n", name)
	return nil
}
