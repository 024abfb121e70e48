package proc

// Checks of user buffers made before a system call does any work with
// them (the copies themselves are AddressSpace.CopyIn/CopyOut).

// userRange reports whether [va, va+n) lies below the kernel half, as
// Linux's access_ok: a range reaching into the kernel (or wrapping) is
// EFAULT at once, whatever is mapped.
func userRange(va, n uint32) bool {
	return uint64(va)+uint64(n) <= UserHi
}

// accessible returns how many bytes from va, up to n, lie in pages the
// process may read (or write, if write): the prefix a copy can move
// without faulting. It allocates nothing.
func (as *AddressSpace) accessible(va, n uint32, write bool) uint32 {
	as.mu.Lock()
	defer as.mu.Unlock()
	var got uint32
	for got < n {
		a := va + got
		if a < UserLo || a >= UserHi {
			break
		}
		if _, ok := as.mapped(a, write); !ok && (!as.vm.IsCommitted(a) || (write && !as.vm.IsWritable(a))) {
			break
		}
		got += min(n-got, page-a&(page-1))
	}
	return got
}
