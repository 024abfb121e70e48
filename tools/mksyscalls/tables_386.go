package main

import (
	"gojos/kern/abi/systab"
	"gojos/kern/proc"
	"gojos/kern/shim"
)

func tables() (shimTab, procTab []systab.Info, ok bool) {
	return systab.Infos(shim.Syscalls[:]), systab.Infos(proc.Syscalls), true
}
