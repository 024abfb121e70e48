// Package bench holds what gojos's benchmark commands share: the summary
// of repeated measurements and the parser of the kernel's /proc/tstamp
// timeline (kern/tstamp), turned into per-phase breakdowns.
package bench

import (
	"sort"
	"time"
)

// Summarize returns the minimum, median and maximum of ds (ds not empty).
func Summarize(ds []time.Duration) (lo, med, hi time.Duration) {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
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
