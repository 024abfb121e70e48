package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gojos/tools/bench"
	"gojos/tools/console"
)

type options struct {
	image string
	qemu  string
	runs  int
	shell bool // milestones of an image that boots to /bin/sh
}

// milestone is a console pattern whose arrival time is measured.
type milestone struct {
	name    string
	pattern string
}

// selftestMilestones are those of an image whose command line runs the
// in-kernel self-test (which then powers off); shellMilestones those of the
// normal image, which boots to the shell's prompt (then "halt" powers off).
var (
	selftestMilestones = []milestone{
		{"banner", `gojos \d+\.\d+ \(i386`},
		{"selftest done", `selftest: \d+ passed, \d+ failed`},
	}
	shellMilestones = []milestone{
		{"banner", `gojos \d+\.\d+ \(i386`},
		{"first $ prompt", `\$ `},
	}
)

func run(o options, out io.Writer) error {
	if o.image == "" {
		return fmt.Errorf("-image is required")
	}
	if o.runs < 1 {
		return fmt.Errorf("-n must be at least 1")
	}
	image, err := findFile(o.image)
	if err != nil {
		return err
	}
	milestones, finish := selftestMilestones, ""
	if o.shell {
		milestones, finish = shellMilestones, "halt"
	}
	times := make([][]time.Duration, len(milestones))
	for i := 0; i < o.runs; i++ {
		ds, err := bootOnce(o.qemu, image, milestones, finish)
		if err != nil {
			return fmt.Errorf("boot %d: %v", i+1, err)
		}
		for m, d := range ds {
			times[m] = append(times[m], d)
		}
	}
	fmt.Fprintf(out, "gojos boot benchmark: %d boots of %s under %s (TCG)\n", o.runs, filepath.Base(image), o.qemu)
	for m, ds := range times {
		lo, med, hi := summarize(ds)
		fmt.Fprintf(out, "  QEMU start → %-14s median %6.1f ms  (min %6.1f, max %6.1f)\n",
			milestones[m].name, ms(med), ms(lo), ms(hi))
	}
	return nil
}

func bootOnce(qemu, image string, milestones []milestone, finish string) ([]time.Duration, error) {
	start := time.Now()
	s, err := console.Start(context.Background(), console.Config{QEMU: qemu, Image: image, Timeout: 2 * time.Minute})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var ds []time.Duration
	for _, m := range milestones {
		if _, err := s.Expect(m.pattern, 0); err != nil {
			return nil, err
		}
		ds = append(ds, time.Since(start))
	}
	if finish != "" {
		if err := s.Send(finish); err != nil {
			return nil, err
		}
	}
	return ds, s.ExpectGuestExit(0, 0)
}

func summarize(ds []time.Duration) (lo, med, hi time.Duration) { return bench.Summarize(ds) }

func ms(d time.Duration) float64 { return bench.Ms(d) }

func findFile(p string) (string, error) { return console.ResolveFile("image", p, os.Getenv) }
