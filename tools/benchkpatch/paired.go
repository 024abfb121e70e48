package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gojos/tools/bench"
	"gojos/tools/console"
)

// The paired mode (-baseline): two images booted side by side, both kept
// at their prompt, and the same short kbench runs given to one and then the
// other, round after round, the order swapped every round. A round of both
// takes a few seconds, so a host whose speed changes between rounds (or
// between two whole benchmark runs, by 2× and more on a shared machine)
// moves both systems of a round alike; the median of the rounds' own
// ratios shows what a change did.

// pairedRuns are the kbench command lines of a round: the system-call
// loop, then the live-patching requests without modules.
func pairedRuns(o options) []string {
	return []string{
		fmt.Sprintf("kbench -sys %d", o.sys),
		fmt.Sprintf("kbench -n %d -m 0 -lp 0", o.pn),
	}
}

// kbenchLine is one figure of kbench's report:
// "  what   median   26.0 us  (min   19.5, max …".
var kbenchLine = regexp.MustCompile(`(?m)^  (\S.*?)\s+median\s+([0-9.]+) us\s+\(min\s+([0-9.]+)`)

// parseKbench returns the medians and the minimums of a kbench report, by
// name ("NAME" and "NAME, min"), the names in order.
func parseKbench(report string) (names []string, us map[string]float64) {
	us = map[string]float64{}
	for _, m := range kbenchLine.FindAllStringSubmatch(report, -1) {
		med, err1 := strconv.ParseFloat(m[2], 64)
		lo, err2 := strconv.ParseFloat(m[3], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if _, seen := us[m[1]]; !seen {
			names = append(names, m[1])
		}
		us[m[1]], us[m[1]+", min"] = med, lo
	}
	return names, us
}

// system is one booted image of the paired mode.
type system struct {
	name string
	s    *console.Session
}

// measure runs one round's kbench commands on sys and returns its medians.
func (sys system) measure(o options) ([]string, map[string]float64, error) {
	var names []string
	all := map[string]float64{}
	for _, cmd := range pairedRuns(o) {
		if err := sys.s.Send(cmd); err != nil {
			return nil, nil, err
		}
		m, err := sys.s.Expect(`(kbench: guest clock[\s\S]*?)\n\$ `, 5*time.Minute)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %v", sys.name, cmd, err)
		}
		n, us := parseKbench(m[1])
		if len(n) == 0 {
			return nil, nil, fmt.Errorf("%s: %s: no figures in %q", sys.name, cmd, m[1])
		}
		names = append(names, n...)
		for k, v := range us {
			all[k] = v
		}
	}
	return names, all, nil
}

// paired is the -baseline mode: the baseline is a, the image b.
func paired(o options, out io.Writer) error {
	var systems [2]system
	for i, img := range []string{o.baseline, o.image} {
		p, err := findFile(img)
		if err != nil {
			return err
		}
		s, err := console.Start(context.Background(), console.Config{QEMU: o.qemu, Image: p, Timeout: 2 * time.Minute})
		if err != nil {
			return err
		}
		defer s.Close()
		if _, err := s.Expect(`\$ `, 0); err != nil {
			return err
		}
		systems[i] = system{[]string{"baseline", "image"}[i], s}
	}
	var names []string
	vals := [2][]map[string]float64{}
	for r := 0; r < o.rounds; r++ {
		order := []int{0, 1}
		if r%2 == 1 {
			order = []int{1, 0}
		}
		for _, i := range order {
			n, us, err := systems[i].measure(o)
			if err != nil {
				return err
			}
			if names == nil {
				names = n
			}
			vals[i] = append(vals[i], us)
		}
	}
	fmt.Fprintf(out, "gojos paired benchmark (%s, TCG): %d rounds of %s, baseline and image alternating\n",
		o.qemu, o.rounds, strings.Join(pairedRuns(o), "; "))
	fmt.Fprintf(out, "  guest clock, µs. Medians: over the rounds, of each round's median; image ÷ baseline within each round, median (min–max).\n")
	fmt.Fprintf(out, "  Minimums: the smallest of all rounds, and their ratio (the least disturbed runs: on a busy host the steadier figure).\n")
	fmt.Fprintf(out, "  %-28s %9s %9s  %-22s %9s %9s  %s\n", "measure", "baseline", "image", "image ÷ baseline", "min base", "min img", "÷")
	for _, k := range names {
		a, b, rs := pairedFigures(vals[0], vals[1], k)
		la, lb, _ := pairedFigures(vals[0], vals[1], k+", min")
		if len(rs) == 0 || len(la) == 0 {
			continue
		}
		lo, med, hi := bench.Summarize(rs)
		_, ma, _ := bench.Summarize(a)
		_, mb, _ := bench.Summarize(b)
		mina, _, _ := bench.Summarize(la)
		minb, _, _ := bench.Summarize(lb)
		fmt.Fprintf(out, "  %-28s %9.1f %9.1f  %-22s %9.1f %9.1f  %.3f\n", k, ma, mb,
			fmt.Sprintf("%.3f (%.2f–%.2f)", med, lo, hi), mina, minb, minb/mina)
	}
	return nil
}

// pairedFigures returns measure k of every round of a and b, and the
// ratios b/a of the rounds where both have it.
func pairedFigures(a, b []map[string]float64, k string) (xa, xb, ratios []float64) {
	for r := range min(len(a), len(b)) {
		x, okx := a[r][k]
		y, oky := b[r][k]
		if !okx || !oky || x <= 0 {
			continue
		}
		xa, xb = append(xa, x), append(xb, y)
		ratios = append(ratios, y/x)
	}
	return xa, xb, ratios
}
