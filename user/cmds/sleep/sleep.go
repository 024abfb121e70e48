// Package sleep is the sleep command:
//
//	sleep NUMBER[SUFFIX]...
//
// waits for the sum of its arguments: seconds, or with a suffix s, m, h
// or d, as coreutils's sleep (fractions allowed: sleep 0.5).
package sleep

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gojos/user/internal/cmdutil"
)

// Parse returns the time args ask for.
func Parse(args []string) (time.Duration, error) {
	if len(args) == 0 {
		return 0, fmt.Errorf("missing operand")
	}
	var total float64
	for _, a := range args {
		unit := 1.0
		num := a
		switch {
		case strings.HasSuffix(a, "s"):
			num = a[:len(a)-1]
		case strings.HasSuffix(a, "m"):
			num, unit = a[:len(a)-1], 60
		case strings.HasSuffix(a, "h"):
			num, unit = a[:len(a)-1], 3600
		case strings.HasSuffix(a, "d"):
			num, unit = a[:len(a)-1], 86400
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, fmt.Errorf("invalid time interval %q", a)
		}
		total += v * unit
	}
	if total > float64(math.MaxInt64)/float64(time.Second) {
		return time.Duration(math.MaxInt64), nil
	}
	return time.Duration(total * float64(time.Second)), nil
}

// Run is the sleep command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	d, err := Parse(args[1:])
	if err != nil {
		fmt.Fprintf(stderr, "sleep: %v\nusage: sleep NUMBER[s|m|h|d]...\n", err)
		return cmdutil.Usage
	}
	time.Sleep(d)
	return nil
}
