package main

import (
	"bytes"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestDispatch(t *testing.T) {
	names := names()
	for _, tc := range []struct {
		args   []string
		status int
		out    string
		errs   string
	}{
		{[]string{"/bin/echo", "hi", "there"}, 0, "hi there\n", ""},
		{[]string{"echo"}, 0, "\n", ""},
		{[]string{"gojos", "echo", "-n", "x"}, 0, "x", ""},
		{[]string{"/bin/gojos", "true"}, 0, "", ""},
		{[]string{"false"}, 1, "", ""},
		{[]string{"sh", "-c", "exit 7"}, 7, "", ""},
		{[]string{"cat", "/nonexistent"}, 1, "", "cat: open /nonexistent: no such file or directory\n"},
		{[]string{"ls", "-q"}, 2, "", "flag provided but not defined: -q\n"},
		{[]string{"kpatch", "-l", "x"}, 2, "", "usage: kpatch [-f] target replacement\n"},
		{[]string{"/bin/lsmod", "-x"}, 2, "", "flag provided but not defined: -x\n"},
		{[]string{"/bin/frob"}, 127, "", "gojos: unknown command \"frob\""},
		{[]string{"gojos"}, 2, "", "usage: gojos command"},
		{nil, 2, "", "commands: " + strings.Join(names, " ") + "\n"},
	} {
		var out, errs bytes.Buffer
		status := run(tc.args, strings.NewReader(""), &out, &errs)
		if status != tc.status || out.String() != tc.out || !strings.Contains(errs.String(), tc.errs) {
			t.Errorf("%q: %d, %q, %q; want %d, %q, %q", tc.args, status, out.String(), errs.String(), tc.status, tc.out, tc.errs)
		}
	}
}

// TestCommandsBzl checks that //user:commands.bzl, which the initrd rule
// reads to make the /bin links, lists exactly the commands dispatched.
func TestCommandsBzl(t *testing.T) {
	data, err := os.ReadFile("../../commands.bzl")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)GOJOS_COMMANDS = \[(.*?)\]`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no GOJOS_COMMANDS list in commands.bzl")
	}
	var listed []string
	for _, q := range regexp.MustCompile(`"([^"]+)"`).FindAllSubmatch(m[1], -1) {
		listed = append(listed, string(q[1]))
	}
	sort.Strings(listed)
	if got, want := strings.Join(listed, " "), strings.Join(names(), " "); got != want {
		t.Errorf("commands.bzl lists %s\ndispatcher has  %s", got, want)
	}
}

func TestCommandsSorted(t *testing.T) {
	for i := 1; i < len(commands); i++ {
		if commands[i-1].name >= commands[i].name {
			t.Errorf("commands: %s before %s", commands[i-1].name, commands[i].name)
		}
	}
	for _, c := range commands {
		if f, ok := lookup(c.name); !ok || f == nil {
			t.Errorf("lookup(%q) fails", c.name)
		}
	}
	if _, ok := lookup("frob"); ok {
		t.Error("lookup(frob) succeeds")
	}
}
