package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"gojos/user/cmds/cat"
	"gojos/user/cmds/dmesg"
	"gojos/user/cmds/echo"
	falsecmd "gojos/user/cmds/false"
	"gojos/user/cmds/fault"
	"gojos/user/cmds/free"
	"gojos/user/cmds/halt"
	"gojos/user/cmds/id"
	initcmd "gojos/user/cmds/init"
	"gojos/user/cmds/insmod"
	"gojos/user/cmds/kbench"
	"gojos/user/cmds/kcall"
	"gojos/user/cmds/kpatch"
	"gojos/user/cmds/kstress"
	"gojos/user/cmds/ksyms"
	"gojos/user/cmds/ls"
	"gojos/user/cmds/lsmod"
	"gojos/user/cmds/memhog"
	"gojos/user/cmds/modfuzz"
	"gojos/user/cmds/ps"
	"gojos/user/cmds/rmmod"
	"gojos/user/cmds/sh"
	"gojos/user/cmds/sleep"
	"gojos/user/cmds/su"
	"gojos/user/cmds/sysfuzz"
	"gojos/user/cmds/sysprobe"
	truecmd "gojos/user/cmds/true"
	"gojos/user/cmds/uname"
	"gojos/user/cmds/whoami"
	"gojos/user/internal/cmdutil"
)

// commands lists each command's name and implementation, sorted by name
// (TestCommandsSorted): a table the linker lays out as data, where a map
// literal was built by every program's start. Keep //user:commands.bzl in
// step: it lists the /bin links the initrd gets (TestCommandsBzl checks).
var commands = [...]struct {
	name string
	run  cmdutil.Func
}{
	{"cat", cat.Run},
	{"dmesg", dmesg.Run},
	{"echo", echo.Run},
	{"false", falsecmd.Run},
	{"fault", fault.Run},
	{"free", free.Run},
	{"halt", halt.Run},
	{"id", id.Run},
	{"init", initcmd.Run},
	{"insmod", insmod.Run},
	{"kbench", kbench.Run},
	{"kcall", kcall.Run},
	{"kpatch", kpatch.Run},
	{"kstress", kstress.Run},
	{"ksyms", ksyms.Run},
	{"ls", ls.Run},
	{"lsmod", lsmod.Run},
	{"memhog", memhog.Run},
	{"modfuzz", modfuzz.Run},
	{"ps", ps.Run},
	{"rmmod", rmmod.Run},
	{"sh", sh.Run},
	{"sleep", sleep.Run},
	{"su", su.Run},
	{"sysfuzz", sysfuzz.Run},
	{"sysprobe", sysprobe.Run},
	{"true", truecmd.Run},
	{"uname", uname.Run},
	{"whoami", whoami.Run},
}

// lookup finds a command by name.
func lookup(name string) (cmdutil.Func, bool) {
	i := sort.Search(len(commands), func(i int) bool { return commands[i].name >= name })
	if i < len(commands) && commands[i].name == name {
		return commands[i].run, true
	}
	return nil, false
}

// self is the binary's own name: started as it, the command is args[1].
const self = "gojos"

// run picks the command by the base name of args[0] (or, for "gojos",
// args[1]), runs it and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{self}
	}
	name := filepath.Base(args[0])
	if name == self || strings.HasPrefix(name, self+"_") { // gojos, gojos_386
		if len(args) < 2 || args[1] == "-h" || args[1] == "help" {
			fmt.Fprintf(stderr, "usage: %s command [args ...]\ncommands: %s\n", self, strings.Join(names(), " "))
			return 2
		}
		args = args[1:]
		name = args[0]
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q (commands: %s)\n", self, name, strings.Join(names(), " "))
		return 127
	}
	return cmdutil.Status(name, cmd(args, stdin, stdout, stderr), stderr)
}

func names() []string {
	ns := make([]string, len(commands))
	for i, c := range commands {
		ns[i] = c.name
	}
	return ns
}
