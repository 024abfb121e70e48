package proc

import (
	"sync"

	"gojos/kern/abi/linux"
	"gojos/kern/abi/signal"
)

// signalState records a process's signal actions (sys_signal.go delivers
// them).
type signalState struct {
	mu      sync.Mutex
	actions [linux.NSIG + 1]signal.Action
}

func (s *signalState) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.actions {
		if s.actions[i].Handler != linux.SIG_IGN {
			s.actions[i] = signal.Action{}
		}
	}
}

// inherit copies the parent's actions (a new process starts with its
// parent's handlers and ignored signals, as after fork on Linux; execve
// then resets the handlers and keeps SIG_IGN).
func (s *signalState) inherit(parent *signalState) {
	parent.mu.Lock()
	a := parent.actions
	parent.mu.Unlock()
	s.mu.Lock()
	s.actions = a
	s.mu.Unlock()
}

// get returns sig's action (SIG_DFL for a number out of range).
func (s *signalState) get(sig int) signal.Action {
	if sig < 1 || sig > linux.NSIG {
		return signal.Action{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.actions[sig]
}

// flags returns sig's sa_flags.
func (s *signalState) flags(sig int) uint32 { return s.get(sig).Flags }

func (s *signalState) action(sig int) uint32 { return s.get(sig).Handler }

// forDelivery returns sig's action as delivery uses it, resetting it to
// SIG_DFL first when it is a handler with SA_RESETHAND.
func (s *signalState) forDelivery(sig int) signal.Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	act := s.actions[sig]
	if act.Handler > linux.SIG_IGN && act.Flags&linux.SA_RESETHAND != 0 {
		s.actions[sig].Handler = linux.SIG_DFL
	}
	return act
}

// install is rt_sigaction's update: act becomes sig's action (sig in
// range); SIGKILL's and SIGSTOP's cannot change.
func (s *signalState) install(sig int, act signal.Action) linux.Errno {
	if sig == linux.SIGKILL || sig == linux.SIGSTOP {
		return linux.EINVAL
	}
	s.mu.Lock()
	s.actions[sig] = act
	s.mu.Unlock()
	return 0
}
