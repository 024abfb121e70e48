package echo

import (
	"bytes"
	"testing"
)

func TestEcho(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"echo"}, "\n"},
		{[]string{"echo", "hello", "world"}, "hello world\n"},
		{[]string{"echo", "-n", "a", "b"}, "a b"},
		{[]string{"echo", "-x", "", "z"}, "-x  z\n"},
		{nil, "\n"},
	} {
		var out bytes.Buffer
		if err := Run(tc.args, nil, &out, nil); err != nil || out.String() != tc.want {
			t.Errorf("echo %q = %q, %v; want %q", tc.args, out.String(), err, tc.want)
		}
	}
}
