#!/bin/bash
# Fails if the tree is not what its generators and formatters would make it:
# gazelle-owned BUILD files, buildifier-formatted Starlark, gofmt-formatted Go, go vet.
set -euo pipefail
cd "$(dirname "$0")/.."
rc=0

# gofmt and go vet of the pinned Go SDK (toolchain/versions.env), not whatever go is on PATH.
# shellcheck source=../toolchain/versions.env
. toolchain/versions.env
sdk="${GOJOS_ROOT:-/opt/gojos}/sdk/go$GO_VERSION/bin"
[ -x "$sdk/go" ] || { echo "check: no pinned Go SDK at $sdk; run toolchain/setup.sh" >&2; exit 1; }
export PATH="$sdk:$PATH" GOTOOLCHAIN=local

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

echo "check: top level"
allowed=" .bazelignore .bazelrc .bazelversion .ci .gitignore BUILD.bazel MODULE.bazel MODULE.bazel.lock README.md WORKSPACE boot docs go.mod go.sum kern modules tests toolchain tools user "
for top in $(git ls-files | cut -d/ -f1 | sort -u); do
	case "$allowed" in
	*" $top "*) ;;
	*)
		echo "check: $top is not part of the fixed top level (README.md, docs/design.md)" >&2
		rc=1
		;;
	esac
done

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
