package proc

import "testing"

func TestPickOOMVictim(t *testing.T) {
	init1, sh, hog, child := &Process{Pid: 1}, &Process{Pid: 31}, &Process{Pid: 34}, &Process{Pid: 35}
	for _, tc := range []struct {
		name  string
		cs    []oomCandidate
		want  *Process
		dying bool
	}{
		{"empty table", nil, nil, false},
		{"largest live process", []oomCandidate{
			{p: init1, pid: 1, resident: 900},
			{p: sh, pid: 31, resident: 700},
			{p: hog, pid: 34, resident: 5000},
		}, hog, false},
		{"init is spared", []oomCandidate{
			{p: init1, pid: 1, resident: 900},
			{p: sh, pid: 31, resident: 10},
		}, sh, false},
		{"only init holds memory", []oomCandidate{
			{p: init1, pid: 1, resident: 900},
		}, nil, false},
		// The hog was killed (by itself or another fault) and its threads
		// are still leaving: the shell must not be chosen in its place.
		{"victim in progress is waited for", []oomCandidate{
			{p: init1, pid: 1, resident: 900},
			{p: sh, pid: 31, resident: 700},
			{p: hog, pid: 34, resident: 5000, exiting: true},
		}, hog, true},
		{"a small exiting process is still waited for", []oomCandidate{
			{p: sh, pid: 31, resident: 700},
			{p: hog, pid: 34, resident: 3, exiting: true},
		}, hog, true},
		{"the largest of two dying", []oomCandidate{
			{p: sh, pid: 31, resident: 700, exiting: true},
			{p: hog, pid: 34, resident: 5000, exiting: true},
		}, hog, true},
		{"memory already released", []oomCandidate{
			{p: sh, pid: 31, resident: 700},
			{p: hog, pid: 34, exiting: true, released: true},
		}, sh, false},
		{"vfork child holds nothing of its own", []oomCandidate{
			{p: sh, pid: 31, resident: 700},
			{p: child, pid: 35, resident: 0, exiting: true},
		}, sh, false},
	} {
		v, dying := pickOOMVictim(tc.cs)
		if v != tc.want || dying != tc.dying {
			t.Errorf("%s: got pid %v dying=%v, want pid %v dying=%v", tc.name, pid(v), dying, pid(tc.want), tc.dying)
		}
	}
}

func pid(p *Process) int {
	if p == nil {
		return 0
	}
	return p.Pid
}
