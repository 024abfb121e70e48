// Package procinfo formats what the kernel tells about itself: uname(2)'s
// strings, and the text of /proc/version, /proc/meminfo, /proc/uptime and
// /proc/cpuinfo (from CPUID leaves), from figures the caller gathers. Pure
// Go: the kernel supplies the numbers (kern/kmain), host tests the text.
package procinfo
