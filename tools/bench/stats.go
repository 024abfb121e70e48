// Package bench holds what gojos's benchmark commands share: the summary
// of repeated measurements and the parser of the kernel's /proc/tstamp
// timeline (kern/tstamp), turned into per-phase breakdowns.
package bench

import (
	"slices"
	"time"
)

// Summarize returns the minimum, median and maximum of xs (xs not empty):
// durations, or ratios of them.
func Summarize[T ~int64 | ~float64](xs []T) (lo, med, hi T) {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return s[0], med, s[n-1]
}

// Median returns the median of ds, 0 for none.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	_, m, _ := Summarize(ds)
	return m
}

// Ms is d in milliseconds.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
