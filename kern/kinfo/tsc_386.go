package kinfo

import "gojos/kern/arch/x86"

// TSC reads the time-stamp counter (allowed in ring 1).
func TSC() uint64 { return x86.Tsc() }
