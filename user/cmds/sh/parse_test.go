package sh

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func env(name string) string {
	return map[string]string{"?": "3", "HOME": "/home/me", "SP": "a b", "E": ""}[name]
}

// show renders pipelines as "[a b] | [c]; [d]" for comparison.
func show(ps []Pipeline) string {
	var s []string
	for _, p := range ps {
		var cs []string
		for _, c := range p {
			var ws []string
			for _, w := range c {
				ws = append(ws, "<"+w+">")
			}
			cs = append(cs, strings.Join(ws, " "))
		}
		s = append(s, strings.Join(cs, " | "))
	}
	return strings.Join(s, "; ")
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   \t ", ""},
		{"ls", "<ls>"},
		{"  ls   -l\t/bin  ", "<ls> <-l> </bin>"},
		{"echo 'a  b' \"c  d\"", "<echo> <a  b> <c  d>"},
		{"echo '' \"\" x", "<echo> <> <> <x>"},
		{"echo a'b'\"c\"d", "<echo> <abcd>"},
		{`echo \ a\"b\\`, `<echo> < a"b\>`},
		{`echo trailing\`, `<echo> <trailing\>`},
		{`echo '\n $HOME "'`, `<echo> <\n $HOME ">`},
		{`echo "\$HOME \"q\" \n \\ \'"`, `<echo> <$HOME "q" \n \ \'>`},
		{"echo $HOME ${HOME}x $HOMEx", "<echo> </home/me> </home/mex> <>"},
		{"echo $? \"$?\" '$?'", "<echo> <3> <3> <$?>"},
		{"echo $SP", "<echo> <a b>"},
		{"echo $E x", "<echo> <> <x>"},
		{"echo $ $1 ${bad-name} a$", "<echo> <$> <$1> <${bad-name}> <a$>"},
		{"cat f | grep x | wc", "<cat> <f> | <grep> <x> | <wc>"},
		{"a|b", "<a> | <b>"},
		{"a; b ;c", "<a>; <b>; <c>"},
		{"a;;b;", "<a>; <b>"},
		{"a 'x|y;z' \"|\" \\;", "<a> <x|y;z> <|> <;>"},
		{"ls # comment | x", "<ls>"},
		{"echo a#b '#'", "<echo> <a#b> <#>"},
		{"# only a comment", ""},
		{"ls\r", "<ls>"},
		{"echo ünïcödé '日本'", "<echo> <ünïcödé> <日本>"},
	} {
		got, err := Parse(tc.in, env)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if s := show(got); s != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, s, tc.want)
		}
	}
}

func TestParseNoLookup(t *testing.T) {
	got, err := Parse("echo $HOME $?", nil)
	if err != nil || !reflect.DeepEqual(got, []Pipeline{{{"echo", "$HOME", "$?"}}}) {
		t.Errorf("Parse without lookup = %v, %v", got, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"echo 'abc", `echo "abc`, `echo "abc\"`, "| a", "a |", "a || b", "a | ; b", "a |;",
	} {
		if got, err := Parse(in, env); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) = %s, %v; want a syntax error", in, show(got), err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"a 'b' \"c$?\" | d; e # f", `\`, `"\`, "${", "$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := Parse(in, env)
		if err != nil {
			return
		}
		for _, p := range ps {
			if len(p) == 0 {
				t.Fatalf("%q: empty pipeline", in)
			}
			for _, c := range p {
				if len(c) == 0 {
					t.Fatalf("%q: empty command", in)
				}
			}
		}
	})
}
