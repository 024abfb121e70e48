#!/bin/bash
# bazel — gojos wrapper, installed by toolchain/setup.sh. Do not edit the installed copy.
#
# Runs Debian sid's Bazel inside @GOJOS_ROOT@/sid. The workspace, the Go SDK and Bazel's
# output root are mounted into the tree at the same paths they have on the host, so
# bazel-bin/ links, `bazel run` and test logs work from the host unchanged. Everything is
# mounted in a private mount namespace: nothing stays mounted on the host.
set -euo pipefail

GOJOS_ROOT="@GOJOS_ROOT@"
GOROOT_HOST="@GOROOT@"
CHROOT="$GOJOS_ROOT/sid"
OUTPUT_USER_ROOT="${GOJOS_OUTPUT_USER_ROOT:-$GOJOS_ROOT/cache/bazel}"

if [ ! -x "$CHROOT/usr/bin/bazel" ]; then
	echo "bazel: $CHROOT has no Bazel; run the setup command: sudo toolchain/setup.sh" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "bazel: this wrapper needs root (chroot and mounts); run it with sudo" >&2
	exit 2
fi

# The workspace: the nearest directory upwards holding MODULE.bazel or WORKSPACE.
ws="$PWD"
while [ "$ws" != / ] && [ ! -f "$ws/MODULE.bazel" ] && [ ! -f "$ws/WORKSPACE" ]; do
	ws="$(dirname "$ws")"
done
[ "$ws" = / ] && ws="$PWD"

# .bazelversion is honoured the way bazelisk would: a mismatch is an error.
if [ -f "$ws/.bazelversion" ]; then
	want="$(tr -d ' \n' <"$ws/.bazelversion")"
	have="@BAZEL_VERSION@"
	if [ "$want" != "$have" ]; then
		echo "bazel: $ws/.bazelversion wants Bazel $want, installed is $have; re-run the setup command" >&2
		exit 2
	fi
fi

mkdir -p "$OUTPUT_USER_ROOT"

# Go environment for go_deps and gazelle, taken from the host's own configuration.
goenv=()
if [ -x "$GOROOT_HOST/bin/go" ]; then
	for v in GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GONOPROXY GOFLAGS; do
		val="$("$GOROOT_HOST/bin/go" env "$v")"
		[ -n "$val" ] && goenv+=("$v=$val")
	done
fi
passenv=()
for v in TERM COLUMNS CI HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
	[ -n "${!v:-}" ] && passenv+=("$v=${!v}")
done

exec unshare --mount --propagation private -- /bin/bash -c '
	set -e
	c="$1" ws="$2" out="$3" goroot="$4" cwd="$5" mods="$6"; shift 6
	bind() { mkdir -p "$c$1"; mount --rbind "$1" "$c$1"; }
	mount -t proc proc "$c/proc"
	mount --rbind /dev "$c/dev"
	mount --rbind /sys "$c/sys"
	bind "$ws"
	bind "$out"
	bind "$goroot"
	bind "$mods"
	cp -u /etc/resolv.conf "$c/etc/resolv.conf" 2>/dev/null || true
	[ -d "$c$cwd" ] || cwd="$ws"
	exec chroot "$c" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
' bazel "$CHROOT" "$ws" "$OUTPUT_USER_ROOT" "$GOROOT_HOST" "$PWD" "$GOJOS_ROOT/modules" \
	/usr/bin/env -i \
	HOME=/root USER=root LANG=C.UTF-8 GOTOOLCHAIN=local \
	PATH="$GOROOT_HOST/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"${goenv[@]}" "${passenv[@]}" \
	/usr/bin/bazel --output_user_root="$OUTPUT_USER_ROOT" "$@"
