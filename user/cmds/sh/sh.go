// Package sh is the gojos shell:
//
//	sh                  interactive: prompt "$ ", line editing, echo
//	sh -c 'command'     run one command line
//	sh file             run a file of command lines
//
// It runs programs (from /bin unless the name contains "/"), pipelines
// ("a | b"), sequences ("a; b"), with quoting and $NAME / $? expansion (see
// Parse), and the builtins cd, exit, help and pwd. A program that exits
// with a non-zero status, or is killed by a signal, is reported:
//
//	sh: prog: exit status 3
//	sh: prog: killed by signal SIGSEGV
//
// The gojos console is raw, so in interactive mode the shell echoes input
// and handles Backspace/DEL, Ctrl-U, Ctrl-W, Ctrl-C, Ctrl-D and the
// history's up and down arrows itself (see LineReader). On the console it
// runs each job in a process group of its own, so that Ctrl-C and Ctrl-\
// reach the foreground job only (see terminal).
package sh

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"gojos/user/internal/cmdutil"
)

// Prompt is printed before each interactive line.
const Prompt = "$ "

// Run is the sh command.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := cmdutil.FlagSet("sh", "[-c command | file]", stderr)
	command := flags.String("c", "", "run `command` and exit")
	if err := cmdutil.Parse(flags, args); err != nil {
		return err
	}
	s := New(stdin, stdout, stderr)
	switch {
	case *command != "":
		s.RunLine(*command)
	case flags.NArg() == 1:
		data, err := os.ReadFile(flags.Arg(0))
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(data), "\n") {
			if s.RunLine(line); s.exited {
				break
			}
		}
	case flags.NArg() == 0:
		s.Interactive()
	default:
		flags.Usage()
		return cmdutil.Usage
	}
	if s.Status != 0 {
		return cmdutil.ExitStatus(s.Status)
	}
	return nil
}

// Shell is the interpreter's state.
type Shell struct {
	Stdin          io.Reader // given to programs as is: an *os.File is inherited
	Stdout, Stderr io.Writer
	Path           []string // directories searched for programs
	Status         int      // the last command's exit status, $?

	exited bool
	jobs   jobTable
	term   *terminal // the console, when interactive on one
}

// New returns a shell that searches $PATH, or /bin if it is unset.
func New(stdin io.Reader, stdout, stderr io.Writer) *Shell {
	path := []string{"/bin"}
	if p := os.Getenv("PATH"); p != "" {
		path = strings.Split(p, ":")
	}
	return &Shell{Stdin: stdin, Stdout: stdout, Stderr: stderr, Path: path}
}

// Interactive prompts, reads lines with echo and editing, and runs them
// until exit or the end of input.
func (s *Shell) Interactive() {
	s.term = openTerminal(s.Stdin)
	lr := NewLineReader(s.term.lineIO(s.Stdin, s.Stdout))
	defer s.term.signals(true)
	for !s.exited {
		s.reportDone()
		fmt.Fprint(s.Stdout, Prompt)
		s.term.signals(false) // Ctrl-C is the line editor's
		line, err := lr.ReadLine()
		s.term.signals(true) // and the running command's
		if err != nil {
			fmt.Fprintln(s.Stdout)
			if err != io.EOF {
				fmt.Fprintf(s.Stderr, "sh: %v\n", err)
				s.Status = 1
			}
			return
		}
		s.RunLine(line)
	}
}

// RunLine parses and runs one command line, setting s.Status.
func (s *Shell) RunLine(line string) {
	// Check the whole line first, then expand and run one statement at
	// a time, so that "$?" sees the previous statement's status.
	if _, err := Parse(line, nil); err != nil {
		fmt.Fprintf(s.Stderr, "sh: %v\n", err)
		s.Status = 2
		return
	}
	p := parser{in: line, lookup: s.lookup}
	for !s.exited {
		pipe, err := p.next()
		if err != nil || pipe == nil {
			return // err is impossible after the check above
		}
		if p.lastBg {
			s.Status = s.startJob(pipe)
			continue
		}
		s.Status = s.runPipeline(pipe)
	}
}

func (s *Shell) lookup(name string) string {
	if name == "?" {
		return strconv.Itoa(s.Status)
	}
	return os.Getenv(name)
}

// builtin is a command the shell runs itself; it returns the exit status.
type builtin func(s *Shell, args []string) int

// builtins returns the builtins by name. The table is made at the first
// call, not at program start: every command of the multi-call binary runs
// its packages' initialisation, and only the shell needs this one.
func builtins() map[string]builtin {
	builtinsOnce.Do(func() {
		builtinTable = map[string]builtin{
			"cd":     (*Shell).cd,
			"exit":   (*Shell).exit,
			"help":   (*Shell).help,
			"jobs":   (*Shell).jobsBuiltin,
			"pwd":    (*Shell).pwd,
			"ulimit": (*Shell).ulimit,
			"wait":   (*Shell).wait,
		}
	})
	return builtinTable
}

var (
	builtinsOnce sync.Once
	builtinTable map[string]builtin
)

func (s *Shell) cd(args []string) int {
	dir := os.Getenv("HOME")
	switch {
	case len(args) > 2:
		fmt.Fprintln(s.Stderr, "sh: cd: too many arguments")
		return 2
	case len(args) == 2:
		dir = args[1]
	case dir == "":
		dir = "/"
	}
	if err := os.Chdir(dir); err != nil {
		fmt.Fprintf(s.Stderr, "sh: cd: %v\n", err)
		return 1
	}
	return 0
}

func (s *Shell) pwd(args []string) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(s.Stderr, "sh: pwd: %v\n", err)
		return 1
	}
	fmt.Fprintln(s.Stdout, wd)
	return 0
}

func (s *Shell) exit(args []string) int {
	status := s.Status
	if len(args) > 1 {
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 || n > 255 || len(args) > 2 {
			fmt.Fprintf(s.Stderr, "sh: exit: want one status 0-255, got %q\n", args[1:])
			return 2
		}
		status = n
	}
	s.exited = true
	return status
}

func (s *Shell) help(args []string) int {
	fmt.Fprintln(s.Stdout, "builtins: cd [dir], exit [status], help, jobs, pwd, ulimit [-a|-v|-d|-n|-s [N|unlimited]], wait [pid|%job]")
	fmt.Fprintln(s.Stdout, "syntax: prog 'quoted arg' \"$NAME\" $? | next; another; background &  # comment")
	var progs []string
	for _, dir := range s.Path {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			progs = append(progs, e.Name())
		}
	}
	if len(progs) > 0 {
		fmt.Fprintf(s.Stdout, "programs: %s\n", strings.Join(progs, " "))
	}
	return 0
}
