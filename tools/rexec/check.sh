#!/bin/bash
# check.sh — CI check of remote execution: every action of the image runs on a real
# REAPI engine (tools/rexec: buildbox-casd with buildbox-run-hosttools, behind capproxy),
# on a worker that has no compiler, binutils or Go SDK of its own, and the result is the
# same image, byte for byte, as a local build.
#
#   tools/rexec/check.sh
#
# 1. Starts a private engine (empty storage inside the Bazel tree, a free port) and
#    copies the tree to a temporary checkout.
# 2. Builds GOJOS_REXEC_TARGETS (default //:image) there with --config=remote in a fresh
#    output base. Fails unless Bazel's summary ("N processes: X internal, Y remote.")
#    shows remote execution and nothing run locally (no sandbox, local or worker
#    process, no cache hit), and lists any action that ran elsewhere.
# 3. Builds the same targets locally in another fresh output base (no remote, no cache)
#    and fails unless every output is byte-identical to the remote build's.
# Prints wall times, the summaries and the outputs' sha256. The engine, both Bazel
# servers, the output bases, the storage and the copy are removed on every exit path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
case "${1:-}" in
"") ;;
*)
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
	;;
esac

export GOJOS_ROOT="${GOJOS_ROOT:-/opt/gojos}"
chroot="$GOJOS_ROOT/sid"
OUT_ROOT="${GOJOS_OUTPUT_USER_ROOT:-$GOJOS_ROOT/cache/bazel}"
targets="${GOJOS_REXEC_TARGETS:-//:image}"
[ "$(id -u)" -eq 0 ] || { echo "rexec-check: must run as root (the bazel wrapper needs it)" >&2; exit 2; }
command -v bazel >/dev/null || { echo "rexec-check: no bazel on PATH; run toolchain/setup.sh" >&2; exit 2; }

tmp="$(mktemp -d /tmp/gojos-rexec-check.XXXXXX)"
run_id="$(basename "$tmp")"
ob_r="$OUT_ROOT/$run_id-remote"
ob_l="$OUT_ROOT/$run_id-local"
exec_log="$OUT_ROOT/$run_id-remote-exec.json" # written by Bazel in the tree: a mounted path
src="$tmp/gojos"
GOJOS_REXEC_DIR="$chroot/var/tmp/$run_id" # casd runs in the tree: its storage must be there
export GOJOS_REXEC_DIR

cleanup() {
	local rc=$?
	set +e
	[ -d "$ob_r" ] && bz "$ob_r" shutdown >/dev/null 2>&1
	[ -d "$ob_l" ] && bz "$ob_l" shutdown >/dev/null 2>&1
	rm -rf "$ob_r" "$ob_l" "$exec_log"
	"$here/rexec.sh" stop >/dev/null 2>&1
	rm -rf "$GOJOS_REXEC_DIR"
	# The wrapper bind-mounts the checkout into the tree and leaves the mount.
	mountpoint -q "$chroot$src" && umount -l "$chroot$src"
	rm -rf "$tmp"
	[ -d "$chroot$tmp" ] && find "$chroot$tmp" -depth -type d -empty -delete
	[ $rc -eq 0 ] || echo "rexec-check: FAILED (exit $rc)" >&2
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'rexec-check: [%3ds] %s\n' "$SECONDS" "$*"; }
fail() {
	printf 'rexec-check: FAIL: %s\n' "$*" >&2
	exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Bazel in the checkout with a given output base, ignoring the user's ~/.bazelrc.
bz() { # output_base command args...
	local ob="$1"
	shift
	(cd "$src" && bazel --nohome_rc --output_base="$ob" --max_idle_secs=300 "$@")
}
COMMON=(--color=no --curses=no --disk_cache= --remote_cache= --show_result=1000)

summary() { grep -E '^INFO: [0-9]+ process(es)?: ' "$1" | tail -1 | sed 's/^INFO: //'; }

# "sha256  label  path" for every output, from the build's own report (--show_result).
hash_outputs() { # build-log
	local label="" line
	while IFS= read -r line; do
		case "$line" in
		"Target "*" up-to-date:") label="${line#Target }" label="${label% up-to-date:}" ;;
		"  "*)
			[ -n "$label" ] || continue
			line="${line#  }"
			printf '%s  %s  %s\n' "$(cd "$src" && sha256sum "$line" | cut -d' ' -f1)" "$label" "$line"
			;;
		*) label="" ;;
		esac
	done <"$1" | sort -k2
	[ "$(grep -c ' up-to-date:$' "$1")" -gt 0 ] || fail "no outputs reported in $1"
}

# --- step 1: engine and checkout ------------------------------------------------------
GOJOS_REXEC_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export GOJOS_REXEC_PORT
url="grpc://127.0.0.1:$GOJOS_REXEC_PORT"
"$here/rexec.sh" start >"$tmp/engine.log" 2>&1 || { cat "$tmp/engine.log" >&2; fail "the engine did not start"; }
say "engine at $url, storage $GOJOS_REXEC_DIR"
mkdir -p "$src"
# A copy of the tree as git sees it (tracked and untracked-but-not-ignored files), so
# bazel-* links and user.bazelrc (which may name a cache) stay out.
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
	tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$src" -xf -
say "checkout: $src; targets: $targets"

# --- step 2: remote build ---------------------------------------------------------------
t0="$(now)"
# shellcheck disable=SC2086
bz "$ob_r" build "${COMMON[@]}" --config=remote --remote_executor="$url" \
	--execution_log_json_file="$exec_log" $targets >"$tmp/remote.log" 2>&1 ||
	{ tail -40 "$tmp/remote.log" >&2; fail "remote build failed"; }
remote_time="$(elapsed "$t0" "$(now)")"
remote_summary="$(summary "$tmp/remote.log")"
say "remote build: ${remote_time}s; $remote_summary"
hash_outputs "$tmp/remote.log" >"$tmp/hash-remote"

# Every process must be remote or internal (symlinks, manifests: no process at all).
others="$(printf '%s\n' "$remote_summary" | sed 's/^[0-9]* process[es]*: //; s/\.$//' | tr ',' '\n' |
	sed 's/^ *//' | grep -vE '^[0-9]+ (internal|remote)$' || true)"
remote_n="$(printf '%s\n' "$remote_summary" | sed -n 's/.* \([0-9][0-9]*\) remote\(,\|\.\|$\).*/\1/p')"
status=0
if [ -n "$others" ] || [ -z "$remote_n" ] || [ "$remote_n" -eq 0 ]; then
	echo "rexec-check: FAIL: not every process ran remotely (${others:-no remote process}); these did not:" >&2
	python3 - "$exec_log" >&2 <<'PY' || true
import json, sys
text = open(sys.argv[1]).read()
dec, i = json.JSONDecoder(), 0
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    spawn, i = dec.raw_decode(text, i)
    if spawn.get("runner") != "remote" or spawn.get("remoteCacheHit"):
        print("  %-20s %-40s %s" % (spawn.get("mnemonic", "?"), spawn.get("targetLabel", "?"),
              spawn.get("runner", "?")))
PY
	status=1
fi
say "mnemonics run remotely: $(python3 - "$exec_log" <<'PY'
import collections, json, sys
text = open(sys.argv[1]).read()
dec, i, n = json.JSONDecoder(), 0, collections.Counter()
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    spawn, i = dec.raw_decode(text, i)
    if spawn.get("runner") == "remote":
        n[spawn.get("mnemonic", "?")] += 1
print(", ".join("%s %d" % kv for kv in sorted(n.items())))
PY
)"
bz "$ob_r" shutdown >/dev/null 2>&1 || true

# --- step 3: local build, compared byte for byte --------------------------------------
t0="$(now)"
# shellcheck disable=SC2086
bz "$ob_l" build "${COMMON[@]}" $targets >"$tmp/local.log" 2>&1 ||
	{ tail -40 "$tmp/local.log" >&2; fail "local build failed"; }
local_time="$(elapsed "$t0" "$(now)")"
say "local build: ${local_time}s; $(summary "$tmp/local.log")"
hash_outputs "$tmp/local.log" >"$tmp/hash-local"
if ! diff "$tmp/hash-remote" "$tmp/hash-local" >"$tmp/hash.diff"; then
	echo "rexec-check: FAIL: the remote and the local build differ:" >&2
	cat "$tmp/hash.diff" >&2
	status=1
else
	say "identical: the remote build's outputs are byte for byte the local build's"
fi

say "outputs (sha256):"
sed 's/^/  /' "$tmp/hash-remote"
say "remote ${remote_time}s ($remote_summary), local ${local_time}s"
[ "$status" -eq 0 ] || exit 1
say "ok"
