#!/bin/bash
# Fails if the tree is not what its generators and formatters would make it:
# gazelle-owned BUILD files, buildifier-formatted Starlark, gofmt-formatted Go, go vet.
set -euo pipefail
cd "$(dirname "$0")/.."
rc=0

echo "check: gazelle (bazel run //:gazelle -- -mode=diff)"
if ! bazel run //:gazelle -- -mode=diff >/tmp/gojos-gazelle.diff 2>/dev/null; then
	echo "check: gazelle would change BUILD files; run: bazel run //:gazelle" >&2
	cat /tmp/gojos-gazelle.diff >&2
	rc=1
fi

echo "check: buildifier"
if ! buildifier -mode=check -lint=warn -r . >/tmp/gojos-buildifier.log 2>&1; then
	echo "check: buildifier findings; run: buildifier -r ." >&2
	cat /tmp/gojos-buildifier.log >&2
	rc=1
fi

echo "check: gofmt"
unformatted="$(find . -name '*.go' -not -path './bazel-*' -print0 | xargs -0 gofmt -l)"
if [ -n "$unformatted" ]; then
	echo "check: not gofmt-formatted: $unformatted" >&2
	rc=1
fi

echo "check: go vet (host and linux/386)"
go vet $(go list ./... | grep -v '^gojos/kern') || rc=1
go vet -unsafeptr=false ./kern/... || rc=1
# The kernel turns physical and trap-frame addresses into pointers by design;
# vet's unsafeptr check would flag every one of them.
GOOS=linux GOARCH=386 go vet $(go list ./... | grep -v '^gojos/kern') || rc=1
GOOS=linux GOARCH=386 go vet -unsafeptr=false ./kern/... || rc=1
echo "check: every kern/ package is in docs/design.md's package list"
for pkg in $(go list ./kern/... | sed 's|^gojos/||'); do
	# each by its full path; kern itself is listed as kern/main.go
	name="$pkg"
	[ "$pkg" = kern ] && name="kern/main.go"
	if ! grep -qE "(^|[^a-z/])${name}([^a-z/]|$)" docs/design.md; then
		echo "check: $pkg is not in docs/design.md" >&2
		rc=1
	fi
done

echo "check: docs/syscalls.md is what tools/mksyscalls writes"
if ! GOARCH=386 go run ./tools/mksyscalls | cmp -s - docs/syscalls.md; then
	echo "check: docs/syscalls.md is stale; run: GOARCH=386 go run ./tools/mksyscalls > docs/syscalls.md" >&2
	rc=1
fi
exit $rc
