package main

import (
	"fmt"
	"sort"
	"strings"

	"gojos/kern/abi/systab"
)

// Render writes docs/syscalls.md from the two tiers' tables: one row per
// system-call number either tier answers, with each tier's status and note.
func Render(shim, proc []systab.Info) string {
	type row struct{ shim, proc *systab.Info }
	rows := map[uint32]*row{}
	names := map[uint32]string{}
	for i := range shim {
		s := &shim[i]
		rows[s.Nr] = &row{shim: s}
		names[s.Nr] = s.Name
	}
	for i := range proc {
		p := &proc[i]
		if rows[p.Nr] == nil {
			rows[p.Nr] = &row{}
		}
		rows[p.Nr].proc = p
		names[p.Nr] = p.Name
	}
	nrs := make([]uint32, 0, len(rows))
	for nr := range rows {
		nrs = append(nrs, nr)
	}
	sort.Slice(nrs, func(i, j int) bool { return nrs[i] < nrs[j] })

	var b strings.Builder
	b.WriteString(`# Linux system calls in gojos

<!-- Generated from kern/shim's and kern/proc's system-call tables by
tools/mksyscalls; do not edit. Regenerate with:
    GOARCH=386 go run ./tools/mksyscalls > docs/syscalls.md
//tools/mksyscalls:mksyscalls_test fails when this file is not current. -->

gojos answers Linux i386 system calls in two places (docs/design.md):

- **kernel runtime** — ` + "`kern/shim`" + `, the ring-0 trap tier, answers the kernel's own
  Go runtime (INT $0x80 from ring 1);
- **user processes** — ` + "`kern/proc`" + ` answers ring-3 programs.

Both dispatch through one table each (` + "`systab.Syscall{Nr, Name, Status, Note, Fn}`" + `);
the values, signal layouts and trap→signal mapping they share come from
` + "`kern/abi/linux`" + `, ` + "`kern/abi/signal`" + ` and ` + "`kern/arch/x86`" + `. A status is
*implemented* (real semantics, possibly restricted as noted), *harmless* (a fixed
result the caller tolerates) or *ENOSYS* (refused quietly; the caller copes). A
number in neither table is -ENOSYS (the trap tier also prints one line).

`)
	count := func(t []systab.Info, s systab.Status) int {
		n := 0
		for _, e := range t {
			if e.Status == s {
				n++
			}
		}
		return n
	}
	both := 0
	for _, r := range rows {
		if r.shim != nil && r.proc != nil {
			both++
		}
	}
	fmt.Fprintf(&b, "%d numbers: kernel runtime %d (%d implemented, %d harmless, %d ENOSYS), user processes %d (%d implemented, %d harmless, %d ENOSYS); %d answered by both tiers, each by its own handler for its own kind of caller.\n\n",
		len(nrs), len(shim), count(shim, systab.Implemented), count(shim, systab.Harmless), count(shim, systab.NotSupported),
		len(proc), count(proc, systab.Implemented), count(proc, systab.Harmless), count(proc, systab.NotSupported), both)
	b.WriteString("| nr | name | kernel runtime (kern/shim) | user processes (kern/proc) |\n|---:|---|---|---|\n")
	cell := func(e *systab.Info) string {
		if e == nil {
			return "—"
		}
		if e.Note == "" {
			return e.Status.String()
		}
		return e.Status.String() + ": " + strings.ReplaceAll(e.Note, "|", "\\|")
	}
	for _, nr := range nrs {
		r := rows[nr]
		num := fmt.Sprint(nr)
		if nr >= 0x1000 {
			num = fmt.Sprintf("%#x", nr)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", num, names[nr], cell(r.shim), cell(r.proc))
	}
	return b.String()
}
