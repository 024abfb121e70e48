//go:build !386

package main

import "gojos/kern/abi/systab"

func tables() (shimTab, procTab []systab.Info, ok bool) { return nil, nil, false }
