#!/bin/bash
# rexec.sh — a local Remote Execution API engine for gojos: buildbox-casd (CAS, action
# cache and Execute in one process) running every action with buildbox-run-hosttools,
# behind tools/rexec/capproxy (which lets Bazel 7's REAPI 2.0 client talk to it). Runs on
# this machine, listening on 127.0.0.1 only.
#
#   tools/rexec/rexec.sh start     start it (no-op when it already runs)
#   tools/rexec/rexec.sh stop      stop it (the stored blobs stay)
#   tools/rexec/rexec.sh status    running or not, URL, storage size
#   tools/rexec/rexec.sh url       print the URL to pass to --remote_executor
#
# Then: bazel build --config=remote //:image   (.bazelrc; docs/remote.md).
#
# The worker is the project's Bazel tree ($GOJOS_ROOT/sid, where buildbox is installed)
# with the toolchain taken away: casd runs in a private mount namespace where none of the
# tree's mounts (workspace, output bases, Go SDK) exist and the i686 and host gcc,
# binutils and their private libraries are masked, so an action can only succeed with the
# tools it declares as inputs (the Go SDK, @gojos_i686). It still has /bin/sh, bash and
# the base system, which actions use (docs/remote.md lists what remains host-path based).
#
# Settings (environment):
#   GOJOS_REXEC_DIR   state directory, inside the tree (default $GOJOS_ROOT/sid/var/cache/
#                     gojos-rexec): cas/ (casd's storage), casd.sock, the pid files, logs
#   GOJOS_REXEC_PORT  the proxy's port on 127.0.0.1 (default 8980)
#   GOJOS_REXEC_JOBS  actions run at once (default: the number of CPUs)
#   GOJOS_REXEC_QUOTA casd's storage quota (default 20G; least recently used blobs go)
#   GOJOS_REXEC_STAGING  how the runner stages input trees: copy-or-link (default: hard
#                     links from the CAS) or fuse (buildbox-fuse)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
GOJOS_ROOT="${GOJOS_ROOT:-/opt/gojos}"
CHROOT="$GOJOS_ROOT/sid"
DIR="${GOJOS_REXEC_DIR:-$CHROOT/var/cache/gojos-rexec}"
PORT="${GOJOS_REXEC_PORT:-8980}"
JOBS="${GOJOS_REXEC_JOBS:-$(nproc)}"
QUOTA="${GOJOS_REXEC_QUOTA:-20G}"
STAGING="${GOJOS_REXEC_STAGING:-copy-or-link}"
URL="grpc://127.0.0.1:$PORT"
IN_TREE="${DIR#"$CHROOT"}" # the state directory as the worker sees it

die() {
	printf 'rexec: error: %s\n' "$1" >&2
	shift
	for hint in "$@"; do printf '  fix: %s\n' "$hint" >&2; done
	exit 1
}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

# pid_of NAME: the pid in NAME.pid when that process still runs the program it names.
pid_of() {
	local pid
	pid="$(cat "$DIR/$1.pid" 2>/dev/null)" || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
	echo "$pid"
}
casd_pid() { pid_of casd "$IN_TREE/casd.sock"; }
proxy_pid() { pid_of capproxy "$DIR/casd.sock"; }

# The worker's view of the tree: run in a fresh mount namespace, as root, before chroot.
# Drops every mount the bazel wrapper left in the tree, then masks the C toolchains
# (directories with an empty read-only tmpfs, files with /dev/null) and the libraries only
# they use (kept: whatever buildbox, sh, bash and QEMU load).
# shellcheck disable=SC2016
WORKER_SETUP='
set -e
c="$1"
awk -v p="$c/" "index(\$2, p) == 1 { print \$2 }" /proc/self/mounts | sort -ru |
	while read -r m; do umount -l "$m" 2>/dev/null || true; done
mount -t proc proc "$c/proc"
mount --rbind /dev "$c/dev"
mount -t tmpfs -o size=1g tmpfs "$c/tmp"
for d in usr/lib/gcc-cross usr/libexec/gcc-cross usr/lib/gcc usr/libexec/gcc usr/i686-linux-gnu usr/x86_64-linux-gnu; do
	[ -d "$c/$d" ] && mount -t tmpfs -o ro,size=4k tmpfs "$c/$d"
done
keep=$(for p in /usr/bin/buildbox-casd /usr/bin/buildbox-run-hosttools /bin/sh /bin/bash /usr/bin/env /usr/bin/qemu-system-i386; do
	chroot "$c" ldd "$p" 2>/dev/null; done | sed -n "s/.*=> \([^ ]*\) .*/\1/p" | xargs -r -n1 basename | sort -u)
cd "$c"
for f in usr/bin/i686-linux-gnu-* usr/bin/x86_64-linux-gnu-* usr/bin/gcc* usr/bin/cpp* usr/bin/g++* usr/bin/c++* \
	usr/bin/as usr/bin/ld usr/bin/ld.bfd usr/bin/ld.gold usr/bin/ar usr/bin/objcopy usr/bin/go usr/bin/gofmt \
	usr/lib/x86_64-linux-gnu/libisl.so* usr/lib/x86_64-linux-gnu/libmpc.so* usr/lib/x86_64-linux-gnu/libmpfr.so* \
	usr/lib/x86_64-linux-gnu/libgmp.so* usr/lib/x86_64-linux-gnu/libbfd-* usr/lib/x86_64-linux-gnu/libctf* \
	usr/lib/x86_64-linux-gnu/libsframe.so* usr/lib/x86_64-linux-gnu/libjansson.so* usr/lib/x86_64-linux-gnu/libopcodes-*; do
	real=$(chroot "$c" readlink -f "/$f" 2>/dev/null) || continue
	[ -f "$c$real" ] || continue
	case " $(echo $keep) " in *" ${real##*/} "*) continue ;; esac
	mount --bind /dev/null "$c$real"
done
cd /
shift
exec chroot "$c" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
'

cmd_start() {
	local pid go
	case "$DIR" in "$CHROOT"/*) ;; *) die "GOJOS_REXEC_DIR=$DIR must be inside $CHROOT (casd runs in the tree)" ;; esac
	[ -x "$CHROOT/usr/bin/buildbox-casd" ] && [ -x "$CHROOT/usr/bin/buildbox-run-hosttools" ] ||
		die "buildbox is not installed in $CHROOT" "run the setup command as root: bash toolchain/setup.sh"
	if pid="$(proxy_pid)" && casd_pid >/dev/null; then
		echo "rexec: already running (proxy pid $pid) at $URL, storage $DIR"
		return 0
	fi
	cmd_stop >/dev/null
	if ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .; then
		die "port $PORT is already in use" "choose another: GOJOS_REXEC_PORT=<port> $0 start"
	fi
	mkdir -p "$DIR/cas"
	rm -f "$DIR/casd.sock" "$DIR/proxy.addr"

	# The proxy: a static Go program, built with the pinned SDK (no Bazel server needed).
	# shellcheck source=../../toolchain/versions.env
	. "$repo/toolchain/versions.env"
	go="$GOJOS_ROOT/sdk/go$GO_VERSION/bin/go"
	[ -x "$go" ] || die "no pinned Go SDK at $go" "run the setup command as root: bash toolchain/setup.sh"
	(cd "$repo" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath "$go" build -o "$DIR/capproxy" ./tools/rexec/capproxy) ||
		die "building tools/rexec/capproxy failed"

	unshare --mount --propagation private -- /bin/sh -c "$WORKER_SETUP" sh "$CHROOT" \
		/usr/bin/buildbox-casd --bind="unix:$IN_TREE/casd.sock" \
		--buildbox-run=/usr/bin/buildbox-run-hosttools --runner-arg=--staging-mode="$STAGING" \
		--jobs="$JOBS" --quota-high="$QUOTA" --log-level=warning "$IN_TREE/cas" \
		</dev/null >"$DIR/casd.log" 2>&1 &
	echo $! >"$DIR/casd.pid"
	for _ in $(seq 100); do
		[ -S "$DIR/casd.sock" ] && break
		kill -0 "$(cat "$DIR/casd.pid")" 2>/dev/null || die "buildbox-casd exited; see $DIR/casd.log" "tail $DIR/casd.log"
		sleep 0.1
	done
	[ -S "$DIR/casd.sock" ] || die "buildbox-casd did not open $DIR/casd.sock; see $DIR/casd.log"

	"$DIR/capproxy" -listen "127.0.0.1:$PORT" -upstream "unix:$DIR/casd.sock" -ready "$DIR/proxy.addr" \
		</dev/null >"$DIR/capproxy.log" 2>&1 &
	echo $! >"$DIR/capproxy.pid"
	for _ in $(seq 50); do
		[ -s "$DIR/proxy.addr" ] && break
		sleep 0.1
	done
	[ -s "$DIR/proxy.addr" ] || { cmd_stop >/dev/null; die "capproxy did not start; see $DIR/capproxy.log"; }
	echo "rexec: running at $URL (buildbox-casd pid $(cat "$DIR/casd.pid"), capproxy pid $(cat "$DIR/capproxy.pid")), storage $DIR"
	echo "rexec: use it with   bazel build --config=remote ...   (or --remote_executor=$URL)"
}

# stop_pid NAME PID: TERM, then KILL after 10 s.
stop_pid() {
	kill -TERM "$2" 2>/dev/null || return 0
	for _ in $(seq 100); do
		kill -0 "$2" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$2" 2>/dev/null || true
	echo "rexec: $1 (pid $2) did not stop in 10 s; killed" >&2
}

cmd_stop() {
	local pid stopped=0
	if pid="$(proxy_pid)"; then stop_pid capproxy "$pid" && stopped=1; fi
	if pid="$(casd_pid)"; then stop_pid buildbox-casd "$pid" && stopped=1; fi
	rm -f "$DIR/capproxy.pid" "$DIR/casd.pid" "$DIR/casd.sock" "$DIR/proxy.addr"
	if [ "$stopped" = 1 ]; then echo "rexec: stopped (blobs kept in $DIR/cas)"; else echo "rexec: not running"; fi
}

cmd_status() {
	local p c
	p="$(proxy_pid || true)"
	c="$(casd_pid || true)"
	if [ -n "$p" ] && [ -n "$c" ]; then
		echo "rexec: running at $URL (buildbox-casd pid $c, capproxy pid $p)"
	else
		echo "rexec: not running${p:+ (capproxy pid $p without casd)}${c:+ (buildbox-casd pid $c without proxy)}"
	fi
	[ -d "$DIR/cas" ] && echo "rexec: storage $DIR/cas: $(du -sh "$DIR/cas" 2>/dev/null | cut -f1)"
	[ -n "$p" ] && [ -n "$c" ]
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it uses a mount namespace and chroot)"
case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
url) echo "$URL" ;;
*) usage ;;
esac
