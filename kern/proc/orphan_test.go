package proc

import "testing"

// newTestProcess registers a process without a program (no address space,
// no files) as a child of parent.
func newTestProcess(parent *Process) *Process {
	p := newProcess(parent, "test", nil)
	p.Pid = allocPid()
	register(p)
	return p
}

// end runs the end of p's last thread.
func end(p *Process) { p.newThread(allocPid()).exitThread() }

func registered(p *Process) bool {
	tableMu.Lock()
	defer tableMu.Unlock()
	return procs[p.Pid] == p
}

func withInit(t *testing.T, p *Process) {
	tableMu.Lock()
	old := initProc
	tableMu.Unlock()
	setInit(p)
	t.Cleanup(func() { setInit(old) })
}

func TestOrphansGoToInit(t *testing.T) {
	root := newTestProcess(nil)
	root.isInit = true
	withInit(t, root)
	parent := newTestProcess(root)
	running, ended := newTestProcess(parent), newTestProcess(parent)
	end(ended)

	root.mu.Lock()
	event := root.childCh()
	root.mu.Unlock()
	end(parent)
	select {
	case <-event: // parent's own exit, and the ended orphan's
	default:
		t.Fatal("init was not told of its new zombie child")
	}
	for _, c := range []*Process{parent, running, ended} {
		if c.Parent() != root {
			t.Errorf("pid %d: parent %v, want init", c.Pid, c.Parent())
		}
		root.mu.Lock()
		listed := root.children[c.Pid] == c
		root.mu.Unlock()
		if !listed {
			t.Errorf("pid %d is not among init's children", c.Pid)
		}
	}
	if parent.children != nil {
		t.Errorf("the ended parent still lists children: %v", parent.children)
	}

	root.mu.Lock()
	event = root.childCh()
	root.mu.Unlock()
	end(running)
	select {
	case <-event:
	default:
		t.Fatal("init was not told when its adopted child ended")
	}
	if !registered(running) || !registered(ended) {
		t.Error("adopted zombies left the process table before init reaped them")
	}
}

func TestOrphansWithoutInit(t *testing.T) {
	withInit(t, nil)
	parent := newTestProcess(nil)
	running, ended := newTestProcess(parent), newTestProcess(parent)
	end(ended)
	end(parent)
	if registered(ended) {
		t.Error("a zombie nobody can reap is still in the process table")
	}
	if running.Parent() != nil {
		t.Errorf("orphan's parent is %v, want none", running.Parent())
	}
	if !registered(running) {
		t.Fatal("a running orphan left the process table")
	}
	end(running)
	if registered(running) {
		t.Error("an orphan that ended is still in the process table")
	}
}

func TestChildOfEndedParent(t *testing.T) {
	root := newTestProcess(nil)
	root.isInit = true
	withInit(t, root)
	parent := newTestProcess(root)
	end(parent)
	late := newProcess(parent, "late", nil) // created as its parent ended
	late.Pid = allocPid()
	register(late)
	if late.Parent() != nil {
		t.Errorf("parent %v, want none", late.Parent())
	}
	end(late)
	if registered(late) {
		t.Error("the late child is still in the process table")
	}
}
