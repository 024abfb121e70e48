package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gojos/tools/console"
)

type options struct {
	image, qemu, baseline     string
	n, m, lp, rounds, sys, pn int
}

// step is one console exchange of the seed scenario; "%s" in send is
// replaced by the last captured address.
type step struct{ send, expect string }

var seed = []step{
	{"", `\$ `},
	{"kcall kpatch_test1", `kpatch_test1 returned 1`},
	{"ksyms kpatch_test2", `(0x[0-9a-f]+) [Tt] \S*kpatch_test2`},
	{"kpatch kpatch_test1 %s", `patched kpatch_test1`},
	{"kcall kpatch_test1", `kpatch_test1 returned 2`},
	{"insmod test.ko", `test2 address: (0x[0-9a-f]+)\r?\n`},
	{"kpatch kpatch_test1 %s", `patched kpatch_test1`},
	{"kcall kpatch_test1", `Hello World`},
}

func run(o options, out io.Writer) error {
	if o.image == "" {
		return fmt.Errorf("-image is required")
	}
	if o.baseline != "" {
		return paired(o, out)
	}
	image, err := findFile(o.image)
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := console.Start(context.Background(), console.Config{QEMU: o.qemu, Image: image, Timeout: 2 * time.Minute})
	if err != nil {
		return err
	}
	defer s.Close()
	addr := ""
	for _, st := range seed {
		if st.send != "" {
			line := st.send
			if strings.Contains(line, "%s") {
				line = fmt.Sprintf(st.send, addr)
			}
			if err := s.Send(line); err != nil {
				return err
			}
		}
		m, err := s.Expect(st.expect, 0)
		if err != nil {
			return err
		}
		if len(m) > 1 {
			addr = m[1]
		}
	}
	seedTime := time.Since(start)
	if _, err := s.Expect(`\$ `, 0); err != nil {
		return err
	}
	if err := s.Send(fmt.Sprintf("kpatch -u kpatch_test1; kpatch -u kpatch_test1; rmmod test; kbench -n %d -m %d -lp %d", o.n, o.m, o.lp)); err != nil {
		return err
	}
	m, err := s.Expect(`(kbench: guest clock[\s\S]*livepatch unload, 32\s+median[^\n]*\n)`, 5*time.Minute)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "gojos live-patching benchmark (%s, TCG)\n", o.qemu)
	fmt.Fprintf(out, "  seed scenario, QEMU start → \"Hello World\": %.0f ms\n", float64(seedTime)/float64(time.Millisecond))
	fmt.Fprintln(out, m[1])
	return nil
}

func findFile(p string) (string, error) { return console.ResolveFile("image", p, os.Getenv) }
