package falsecmd

import (
	"io"
	"testing"

	truecmd "gojos/user/cmds/true"
	"gojos/user/internal/cmdutil"
)

func TestTrueFalse(t *testing.T) {
	if got := cmdutil.Status("false", Run([]string{"false"}, nil, io.Discard, io.Discard), io.Discard); got != 1 {
		t.Errorf("false: status %d", got)
	}
	if got := cmdutil.Status("true", truecmd.Run([]string{"true"}, nil, io.Discard, io.Discard), io.Discard); got != 0 {
		t.Errorf("true: status %d", got)
	}
}
