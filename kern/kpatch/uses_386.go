package kpatch

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"syscall"

	"gojos/kern/module"
)

// Which modules live patches jump into, under a lock of its own: rmmod
// asks (module.BeforeUnload) while holding the module list's lock, and
// kpatch takes that lock while holding mu (resolving module symbols), so
// the unload check must not take mu — with both orders the two would
// deadlock. uses.mu is taken last, after either.
var uses struct {
	mu sync.Mutex
	by map[*module.Module]map[string]int // module -> "target -> replacement" -> patches
}

// pin records a patch into m before it is applied; the caller then checks
// that m is still loaded (an unload that ran first has removed it; one that
// runs later sees the pin and refuses).
func pin(m *module.Module, what string) {
	uses.mu.Lock()
	defer uses.mu.Unlock()
	if uses.by == nil {
		uses.by = map[*module.Module]map[string]int{}
	}
	if uses.by[m] == nil {
		uses.by[m] = map[string]int{}
	}
	uses.by[m][what]++
}

// unpin drops a record of pin.
func unpin(m *module.Module, what string) {
	uses.mu.Lock()
	defer uses.mu.Unlock()
	if uses.by[m][what]--; uses.by[m][what] <= 0 {
		delete(uses.by[m], what)
	}
	if len(uses.by[m]) == 0 {
		delete(uses.by, m)
	}
}

func refuseUnloadWhilePatched(m *module.Module) error {
	uses.mu.Lock()
	defer uses.mu.Unlock()
	var users []string
	for what := range uses.by[m] {
		users = append(users, what)
	}
	if len(users) > 0 {
		sort.Strings(users)
		return fmt.Errorf("%s is in use by live patches (%s): remove them first with kpatch -u: %w",
			m.Name, strings.Join(users, ", "), syscall.EBUSY)
	}
	return nil
}

// useName describes a patch into a module for rmmod's refusal.
func useName(p *patch) string {
	return fmt.Sprintf("%s -> %s", short(&p.target), syms.FormatAddr(p.repl.addr))
}
