// Package insmod is the insmod command:
//
//	insmod file.ko [param ...]
//
// loads a kernel module: it reads the file (with plain system calls,
// cmdutil.ReadFile) and hands it to the kernel with init_module, the
// parameters joined by spaces. A bare file name (without
// '/') is looked up in the current directory, then in /lib/modules, each
// time also with ".ko" added. On success it prints nothing (the module's
// init may); on failure "insmod: file: reason", status 1, where the reason
// is the kernel's (or the errno's text).
package insmod

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gojos/user/internal/cmdutil"
	"gojos/user/internal/kctl"
)

// ModulesDir is where bare module names are looked up after the current
// directory; a variable for tests.
var ModulesDir = "/lib/modules"

// Run is the insmod command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("insmod", "file.ko [param ...]", stderr)
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() < 1 || flags.Arg(0) == "" {
		flags.Usage()
		return cmdutil.Usage
	}
	file := flags.Arg(0)
	path, err := Find(file)
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	image, err := cmdutil.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	if err := kctl.InitModule(image, strings.Join(flags.Args()[1:], " ")); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	return nil
}

// Find returns the path of the module file named file: file itself if it
// has a '/', else the first regular file among file and file.ko in the
// current directory, then in ModulesDir.
func Find(file string) (string, error) {
	if strings.Contains(file, "/") {
		return file, nil
	}
	names := []string{file}
	if !strings.HasSuffix(file, ".ko") {
		names = append(names, file+".ko")
	}
	for _, dir := range []string{"", ModulesDir} {
		for _, n := range names {
			p := filepath.Join(dir, n)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("not found in . or %s", ModulesDir)
}
