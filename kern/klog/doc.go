// Package klog is the kernel log: a ring buffer (Size bytes, fixed at build
// time) of records with a level, a sequence number and a TSC timestamp,
// which every kernel and module message goes through, and the reading
// side of syslog(2) and /dev/kmsg.
//
// The writers (ring.go) run with interrupts off and take no locks: the
// trap tier appends the kernel's standard output and error there, and a C
// module's kprintf appends from the module stack (nosplit all the way).
// Readers (read.go, syslog.go) are ordinary Go; timestamps are converted
// when read, with the TSC calibration the kernel has.
package klog
