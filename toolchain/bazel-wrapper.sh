#!/bin/bash
# bazel — gojos wrapper, installed by toolchain/setup.sh. Do not edit the installed copy.
#
# Runs Debian sid's Bazel inside @GOJOS_ROOT@/sid. The workspace, the pinned Go SDK
# (@GOJOS_ROOT@/sdk, from the Go module proxy) and Bazel's output root are mounted into
# the tree at the same paths they have on the host, so bazel-bin/ links, `bazel run` and
# test logs work from the host unchanged. The mounts are made once and stay until reboot
# (see below why). The machine's own Go installation is not used (only its settings, such
# as GOPROXY, when it has one).
set -euo pipefail

GOJOS_ROOT="@GOJOS_ROOT@"
SDK_DIR="$GOJOS_ROOT/sdk"
SDK="@GO_SDK@"
CHROOT="$GOJOS_ROOT/sid"
OUTPUT_USER_ROOT="${GOJOS_OUTPUT_USER_ROOT:-$GOJOS_ROOT/cache/bazel}"

if [ ! -x "$CHROOT/usr/bin/bazel" ]; then
	echo "bazel: $CHROOT has no Bazel; run the setup command as root: bash toolchain/setup.sh" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "bazel: this wrapper needs root (chroot and mounts); run it as root (sudo bazel … from another account)" >&2
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

# Go environment for go_deps and gazelle, taken from the machine's own configuration:
# its go command's settings when it has one, else the pinned SDK's (which read the same
# environment and $HOME/.config/go/env).
goenv=()
hostgo="$(command -v go 2>/dev/null || true)"
[ -n "$hostgo" ] || hostgo=/usr/local/go/bin/go
[ -x "$hostgo" ] || hostgo="$SDK/bin/go"
if [ -x "$hostgo" ]; then
	for v in GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GONOPROXY GOFLAGS; do
		val="$(GOTOOLCHAIN=local "$hostgo" env "$v" 2>/dev/null || true)"
		[ -n "$val" ] && goenv+=("$v=$val")
	done
fi
passenv=()
for v in TERM COLUMNS CI HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
	[ -n "${!v:-}" ] && passenv+=("$v=${!v}")
done

# Mount what Bazel needs into the tree, once: the mounts stay (in the host's mount
# namespace) so that every client sees the Bazel server in the same place — a fresh
# namespace per command makes the client think the server's directory moved and
# restart it each time.
bindonce() { # host-path
	mkdir -p "$CHROOT$1"
	if mountpoint -q "$CHROOT$1"; then
		# Still the same directory? A checkout deleted and made again at the same
		# path leaves a stale mount of the old one behind.
		[ "$(stat -c %d:%i "$1")" = "$(stat -c %d:%i "$CHROOT$1" 2>/dev/null)" ] && return 0
		umount -l "$CHROOT$1"
	fi
	mount --rbind "$1" "$CHROOT$1"
}
mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
mountpoint -q "$CHROOT/dev" || mount --rbind /dev "$CHROOT/dev"
mountpoint -q "$CHROOT/sys" || mount --rbind /sys "$CHROOT/sys"
bindonce "$ws"
bindonce "$OUTPUT_USER_ROOT"
bindonce "$SDK_DIR"
bindonce "$GOJOS_ROOT/modules"
cp -u /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
cwd="$PWD"
[ -d "$CHROOT$cwd" ] || cwd="$ws"

exec chroot "$CHROOT" /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" \
	/usr/bin/env -i \
	HOME=/root USER=root LANG=C.UTF-8 GOTOOLCHAIN=local GOJOS_SDK_DIR="$SDK_DIR" \
	PATH="$SDK/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"${goenv[@]}" "${passenv[@]}" \
	/usr/bin/bazel --output_user_root="$OUTPUT_USER_ROOT" "$@"
