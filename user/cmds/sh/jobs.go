package sh

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"gojos/user/internal/cmdutil"
)

// Background jobs: "cmd &" starts a pipeline without waiting for it
// (its standard input is empty, as in a non-interactive POSIX shell), prints
// "[N] PID" (the job number and its last command's process) and sets $? to 0;
// "wait" waits for every job, "wait PID" or "wait %N" for one and returns its
// status; "jobs" lists them. A finished job is reported once, before the
// next prompt: "[N]+ Done  cmd" (or "Exit 3", "Killed by SIGKILL").

type job struct {
	id     int
	pid    int
	text   string
	done   chan struct{}
	status int // valid once done is closed
}

type jobTable struct {
	mu     sync.Mutex
	jobs   []*job
	nextID int
}

func (s *Shell) startJob(p Pipeline) int {
	if _, ok := builtins()[p[0][0]]; ok && len(p) == 1 {
		fmt.Fprintf(s.Stderr, "sh: %s: a builtin cannot run in the background\n", p[0][0])
		return 2
	}
	l, status := s.launch(p, strings.NewReader(""), false)
	if l == nil {
		return status
	}
	if l.started == 0 {
		return s.finish(l)
	}
	var words []string
	for _, c := range p {
		words = append(words, strings.Join(c, " "))
	}
	s.jobs.mu.Lock()
	s.jobs.nextID++
	j := &job{id: s.jobs.nextID, pid: l.cmds[l.started-1].Process.Pid, text: strings.Join(words, " | "), done: make(chan struct{})}
	s.jobs.jobs = append(s.jobs.jobs, j)
	s.jobs.mu.Unlock()
	fmt.Fprintf(s.Stdout, "[%d] %d\n", j.id, j.pid)
	go func() {
		j.status = s.finish(l)
		close(j.done)
	}()
	return 0
}

func (j *job) finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

func (j *job) state() string {
	if !j.finished() {
		return "Running"
	}
	switch {
	case j.status == 0:
		return "Done"
	case j.status > statusSignal && j.status < statusSignal+65:
		return "Killed by " + cmdutil.SignalName(syscall.Signal(j.status-statusSignal))
	}
	return "Exit " + strconv.Itoa(j.status)
}

// reportDone prints and forgets the jobs that finished.
func (s *Shell) reportDone() {
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	keep := s.jobs.jobs[:0]
	for _, j := range s.jobs.jobs {
		if j.finished() {
			fmt.Fprintf(s.Stdout, "[%d]+ %-8s %s\n", j.id, j.state(), j.text)
			continue
		}
		keep = append(keep, j)
	}
	s.jobs.jobs = keep
}

func (s *Shell) jobsBuiltin(args []string) int {
	s.jobs.mu.Lock()
	js := append([]*job(nil), s.jobs.jobs...)
	s.jobs.mu.Unlock()
	sort.Slice(js, func(a, b int) bool { return js[a].id < js[b].id })
	for _, j := range js {
		fmt.Fprintf(s.Stdout, "[%d] %d %-8s %s\n", j.id, j.pid, j.state(), j.text)
	}
	return 0
}

// wait waits for every job (status 0), or for the one named by a pid or
// %N (its status); an unknown one is status 127.
func (s *Shell) wait(args []string) int {
	s.jobs.mu.Lock()
	js := append([]*job(nil), s.jobs.jobs...)
	s.jobs.mu.Unlock()
	if len(args) == 1 {
		for _, j := range js {
			<-j.done
		}
		s.forget(js...)
		return 0
	}
	status := 0
	for _, a := range args[1:] {
		var found *job
		for _, j := range js {
			if a == "%"+strconv.Itoa(j.id) || a == strconv.Itoa(j.pid) {
				found = j
			}
		}
		if found == nil {
			fmt.Fprintf(s.Stderr, "sh: wait: %s: no such job\n", a)
			status = statusNotFound
			continue
		}
		<-found.done
		s.forget(found)
		status = found.status
	}
	return status
}

// forget drops finished jobs that were waited for (not reported again).
func (s *Shell) forget(done ...*job) {
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	keep := s.jobs.jobs[:0]
	for _, j := range s.jobs.jobs {
		drop := false
		for _, d := range done {
			drop = drop || d == j
		}
		if !drop {
			keep = append(keep, j)
		}
	}
	s.jobs.jobs = keep
}
