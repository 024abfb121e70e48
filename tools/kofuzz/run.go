package main

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gojos/kern/modsign"
	"gojos/kern/modsign/signer"
	"gojos/kern/module/elfrel"
	"gojos/tools/modkey"
)

type options struct {
	in, out, key string
	n, first     int
	seed         uint64
	noText, safe bool
}

// maxAttempts bounds the redraws of one mutant (a no-op, or one the flags exclude).
const maxAttempts = 10000

// Mutant is one generated file.
type Mutant struct {
	Index int
	File  string // NNNN.ko
	Data  []byte
	Kind  string
	Desc  string
	v     verdict
}

// generate makes mutant i.
func generate(b *base, ref *elfrel.Image, seed uint64, i int, noText, safe bool) (Mutant, error) {
	named := b.renamed(i)
	file := fmt.Sprintf("%04d.ko", i)
	for attempt := 0; attempt < maxAttempts; attempt++ {
		m := mutator{b: b, d: append([]byte(nil), named...), rng: rand.New(rand.NewPCG(seed, uint64(i)<<20|uint64(attempt))), noText: noText}
		kind, f := m.pick()
		desc := f(&m)
		if bytes.Equal(m.d, named) || noText && b.touchesText(m.d) {
			continue
		}
		v := classify(m.d, file, ref)
		if safe && v.loads && !v.same {
			continue
		}
		return Mutant{Index: i, File: file, Data: m.d, Kind: kind, Desc: desc, v: v}, nil
	}
	return Mutant{}, fmt.Errorf("mutant %d: no acceptable mutation in %d attempts", i, maxAttempts)
}

func run(o options, out io.Writer) error {
	data, err := os.ReadFile(o.in)
	if err != nil {
		return err
	}
	data = modsign.Strip(data)
	var key ed25519.PrivateKey
	if o.key != "" {
		if key, err = modkey.LoadPrivate(o.key); err != nil {
			return err
		}
	}
	b, err := newBase(data)
	if err != nil {
		return fmt.Errorf("%s: %v", o.in, err)
	}
	img, _, err := loadHost(data, filepath.Base(o.in))
	if err != nil {
		return fmt.Errorf("%s does not load on the host: %v", o.in, err)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	var manifest strings.Builder
	st := newStats()
	for i := o.first; i < o.first+o.n; i++ {
		m, err := generate(b, img, o.seed, i, o.noText, o.safe)
		if err != nil {
			return err
		}
		file := m.Data
		if key != nil {
			if file, err = signer.Sign(key, m.Data); err != nil {
				return fmt.Errorf("%s: %v", m.File, err)
			}
		}
		if err := os.WriteFile(filepath.Join(o.out, m.File), file, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&manifest, "%s\t%s\t%s: %s\n", m.File, m.v.manifestVerdict(), m.Kind, m.Desc)
		st.add(m)
	}
	if err := os.WriteFile(filepath.Join(o.out, "MANIFEST"), []byte(manifest.String()), 0o644); err != nil {
		return err
	}
	flags := ""
	if o.noText {
		flags += " -no-text"
	}
	if o.safe {
		flags += " -safe"
	}
	fmt.Fprintf(out, "kofuzz: %d mutants of %s (seed %d%s) in %s\n", o.n, filepath.Base(o.in), o.seed, flags, o.out)
	st.print(out)
	if len(st.panics) > 0 {
		return fmt.Errorf("the loader panicked on %d mutants: %s", len(st.panics), strings.Join(st.panics, "; "))
	}
	return nil
}

// stats are the host classification's figures.
type stats struct {
	n, refused, loads, changed int
	byKind                     map[string][3]int // mutants, refused, loads-changed
	byClass                    map[string]int
	panics                     []string
	slowest                    time.Duration
	slowFile                   string
}

func newStats() *stats {
	return &stats{byKind: map[string][3]int{}, byClass: map[string]int{}}
}

func (s *stats) add(m Mutant) {
	s.n++
	k := s.byKind[m.Kind]
	k[0]++
	switch {
	case m.v.panic != "":
		s.panics = append(s.panics, fmt.Sprintf("%s (%s: %s): %s", m.File, m.Kind, m.Desc, m.v.panic))
	case m.v.loads:
		s.loads++
		if !m.v.same {
			s.changed++
			k[2]++
		}
	default:
		s.refused++
		k[1]++
		s.byClass[m.v.class]++
	}
	s.byKind[m.Kind] = k
	if m.v.took > s.slowest {
		s.slowest, s.slowFile = m.v.took, m.File
	}
}

func (s *stats) print(w io.Writer) {
	fmt.Fprintf(w, "host loader: %d refused, %d load (%d with changed code, data or entry points), %d panics; slowest %s (%s)\n",
		s.refused, s.loads, s.changed, len(s.panics), s.slowest.Round(time.Microsecond), s.slowFile)
	var kinds []string
	for k := range s.byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "  %-9s %5s %8s %13s\n", "mutation", "count", "refused", "load-changed")
	for _, k := range kinds {
		c := s.byKind[k]
		fmt.Fprintf(w, "  %-9s %5d %8d %13d\n", k, c[0], c[1], c[2])
	}
	var classes []string
	for c := range s.byClass {
		classes = append(classes, fmt.Sprintf("%s %d", c, s.byClass[c]))
	}
	sort.Strings(classes)
	fmt.Fprintf(w, "  refusals by class: %s\n", strings.Join(classes, ", "))
}
