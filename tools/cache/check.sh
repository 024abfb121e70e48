#!/bin/bash
# check.sh — CI check of the remote build cache and of byte-reproducible outputs.
#
#   tools/cache/check.sh            # the whole check (two cold builds, one warm)
#   tools/cache/check.sh --quick    # skip the independent cold rebuild (step 3)
#
# 1. Starts a private cache server (tools/cache/cache.sh) with empty storage on a free
#    port, copies the tree to a temporary checkout A and builds the image, kernel,
#    initrd, boot loader and modules there cold, in a fresh output base, with
#    --config=cache: every action runs locally and is uploaded.
# 2. Copies the tree to checkout B at another path and builds the same targets in another
#    fresh output base against the now-warm cache. Fails unless Bazel's summary shows no
#    locally executed process at all (only "remote cache hit" and "internal"), i.e. the
#    action keys do not depend on the checkout path or output base.
# 3. Cleans B and rebuilds everything locally without the cache (--quick skips this):
#    an independent second build at another path. Fails unless its outputs are byte-
#    identical to A's (a warm cache hit hands back A's bytes, so only this step proves
#    that the build itself is reproducible).
# Prints wall times, hits, hit rate and the sha256 of every output. The server, the Bazel
# servers, the output bases and the copies are removed on every exit path.
#
# Settings: GOJOS_CHECK_TARGETS (space-separated labels; default: found by rule kind),
# GOJOS_OUTPUT_USER_ROOT (where output bases may live: the bazel wrapper mounts it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
quick=0
case "${1:-}" in
--quick) quick=1 ;;
"") ;;
*)
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
	;;
esac

OUT_ROOT="${GOJOS_OUTPUT_USER_ROOT:-${GOJOS_ROOT:-/opt/gojos}/cache/bazel}"
chroot="${GOJOS_ROOT:-/opt/gojos}/sid"
[ "$(id -u)" -eq 0 ] || { echo "cache-check: must run as root (the bazel wrapper needs it)" >&2; exit 2; }
command -v bazel >/dev/null || { echo "cache-check: no bazel on PATH; run toolchain/setup.sh" >&2; exit 2; }

tmp="$(mktemp -d /tmp/gojos-cache-check.XXXXXX)"
chmod 755 "$tmp" # the cache's nginx workers (www-data) must reach $tmp/cache
run_id="$(basename "$tmp")"
ob_a="$OUT_ROOT/$run_id-a"
ob_b="$OUT_ROOT/$run_id-b"
src_a="$tmp/a/gojos"
src_b="$tmp/b/elsewhere/gojos-copy"
export GOJOS_CACHE_DIR="$tmp/cache"

cleanup() {
	local rc=$?
	set +e
	[ -d "$ob_a" ] && bz "$src_a" "$ob_a" shutdown >/dev/null 2>&1
	[ -d "$ob_b" ] && bz "$src_b" "$ob_b" shutdown >/dev/null 2>&1
	rm -rf "$ob_a" "$ob_b"
	# The wrapper bind-mounts each checkout into the sid tree and leaves the mount.
	for s in "$src_a" "$src_b"; do
		mountpoint -q "$chroot$s" && umount -l "$chroot$s"
	done
	"$here/cache.sh" stop >/dev/null 2>&1
	rm -rf "$tmp"
	# ...and the directories it made to mount them on.
	[ -d "$chroot$tmp" ] && find "$chroot$tmp" -depth -type d -empty -delete
	[ $rc -eq 0 ] || echo "cache-check: FAILED (exit $rc)" >&2
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'cache-check: [%3ds] %s\n' "$SECONDS" "$*"; }
fail() {
	printf 'cache-check: FAIL: %s\n' "$*" >&2
	exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A free TCP port on the loopback interface.
GOJOS_CACHE_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export GOJOS_CACHE_PORT
url="http://127.0.0.1:$GOJOS_CACHE_PORT"

# A copy of the tree as git sees it (tracked and untracked-but-not-ignored files), so
# bazel-* links, user.bazelrc and other ignored files stay out.
copy_tree() { # dest
	mkdir -p "$1"
	if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# (files deleted but not yet committed are skipped with a warning)
		(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
			tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$1" -xf -
	else
		tar -C "$repo" --exclude='./bazel-*' --exclude=./user.bazelrc -cf - . | tar -C "$1" -xf -
	fi
}

# Bazel in a given checkout and output base, ignoring the user's ~/.bazelrc.
bz() { # dir output_base command args...
	local dir="$1" ob="$2"
	shift 2
	# An idle limit, so that no server outlives the check even if the trap cannot run.
	(cd "$dir" && bazel --nohome_rc --output_base="$ob" --max_idle_secs=300 "$@")
}
COMMON=(--color=no --curses=no --disk_cache=)
BUILD=(build "${COMMON[@]}" --show_result=1000)

# The summary line, e.g. "INFO: 215 processes: 98 remote cache hit, 117 internal."
summary() { grep -E '^INFO: [0-9]+ process(es)?: ' "$1" | tail -1 | sed 's/^INFO: //'; }
count() { # log kind: the count of one kind in the summary line (0 when absent)
	summary "$1" | tr ':,' '\n\n' | sed -n "s/^ *\([0-9][0-9]*\) $2\.\{0,1\}\$/\1/p" | head -1 | grep . || echo 0
}
total() { summary "$1" | sed -n 's/^\([0-9]*\) process.*/\1/p'; }

# "sha256  label  path" for every output of $targets, from the build's own report
# ("Target //:image up-to-date:" and the indented paths below it; --show_result).
hash_outputs() { # dir build-log
	local dir="$1" label="" line
	while IFS= read -r line; do
		case "$line" in
		"Target "*" up-to-date:") label="${line#Target }" label="${label% up-to-date:}" ;;
		"  "*)
			[ -n "$label" ] || continue
			line="${line#  }"
			printf '%s  %s  %s\n' "$(cd "$dir" && sha256sum "$line" | cut -d' ' -f1)" "$label" "$line"
			;;
		*) label="" ;;
		esac
	done <"$2" | sort -k2
	[ "$(grep -c ' up-to-date:$' "$2")" -gt 0 ] || fail "no outputs reported in $2"
}

# --- step 0: server and checkout A ---------------------------------------------------
say "cache server on $url, storage $GOJOS_CACHE_DIR"
"$here/cache.sh" start >/dev/null
copy_tree "$src_a"
say "checkout A: $src_a"
# Cold time counts from here: Bazel server start, external repositories, analysis and
# execution, as for the warm build.
t0="$(now)"

if [ -n "${GOJOS_CHECK_TARGETS:-}" ]; then
	targets="$GOJOS_CHECK_TARGETS"
else
	# The image, its parts and every module, by rule kind, plus the kernel.
	targets="$(bz "$src_a" "$ob_a" query "${COMMON[@]}" --keep_going \
		'kind("gojos_image|gojos_initrd|i386_flat_binary|i386_module", //...) + set(//kern:kernel)' \
		2>"$tmp/query.log" | sort | tr '\n' ' ' || true)"
fi
[ -n "${targets// /}" ] || fail "no targets to build; see the query errors: $(tail -5 "$tmp/query.log")"
say "targets: $targets"

# --- step 1: cold build in A, uploading --------------------------------------------
# shellcheck disable=SC2086
bz "$src_a" "$ob_a" "${BUILD[@]}" --config=cache --remote_cache="$url" \
	--remote_upload_local_results $targets >"$tmp/cold.log" 2>&1 ||
	{ tail -40 "$tmp/cold.log" >&2; fail "cold build failed"; }
t1="$(now)"
cold_time="$(elapsed "$t0" "$t1")"
say "cold build: ${cold_time}s; $(summary "$tmp/cold.log")"
hash_outputs "$src_a" "$tmp/cold.log" >"$tmp/hash-a"
entries="$(find "$GOJOS_CACHE_DIR/ac" "$GOJOS_CACHE_DIR/cas" -type f | wc -l)"
say "cache now holds $entries entries ($(du -sh "$GOJOS_CACHE_DIR" | cut -f1))"
bz "$src_a" "$ob_a" shutdown >/dev/null 2>&1 || true
rm -rf "$ob_a"

# --- step 2: warm build in B (another path, another output base) --------------------
# B is a copy of A, not of the tree: the same snapshot even if the tree changes meanwhile
# (Bazel's convenience links in A stay out).
mkdir -p "$src_b"
tar -C "$src_a" --exclude='./bazel-*' -cf - . | tar -C "$src_b" -xf -
say "checkout B: $src_b"
t0="$(now)"
# shellcheck disable=SC2086
bz "$src_b" "$ob_b" "${BUILD[@]}" --config=cache --remote_cache="$url" \
	--execution_log_json_file="$ob_b/warm-exec.json" $targets >"$tmp/warm.log" 2>&1 ||
	{ tail -40 "$tmp/warm.log" >&2; fail "warm build failed"; }
t1="$(now)"
warm_time="$(elapsed "$t0" "$t1")"
say "warm build: ${warm_time}s; $(summary "$tmp/warm.log")"
hash_outputs "$src_b" "$tmp/warm.log" >"$tmp/hash-b"

procs="$(total "$tmp/warm.log")"
hits="$(count "$tmp/warm.log" 'remote cache hit')"
internal="$(count "$tmp/warm.log" internal)"
[ -n "$procs" ] || fail "no process summary in the warm build's output"
cacheable=$((procs - internal))
local_procs=$((cacheable - hits))
rate="$(awk -v h="$hits" -v c="$cacheable" 'BEGIN { if (c > 0) printf "%.1f", 100 * h / c; else print "n/a" }')"
say "warm cache: $hits remote cache hits of $cacheable cacheable processes ($rate%), $internal internal, $local_procs executed locally"

status=0
if [ "$local_procs" -ne 0 ]; then
	echo "cache-check: FAIL: the warm build executed $local_procs process(es) locally:" >&2
	python3 - "$ob_b/warm-exec.json" >&2 <<'PY' || true
import json, sys
text = open(sys.argv[1]).read()
dec, i = json.JSONDecoder(), 0
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    spawn, i = dec.raw_decode(text, i)
    if spawn.get("runner") not in ("remote cache hit", None) and not spawn.get("remoteCacheHit"):
        print("  %-20s %-40s %s" % (spawn.get("mnemonic", "?"), spawn.get("targetLabel", "?"),
              spawn.get("runner", "?")))
PY
	status=1
fi
if ! cmp -s "$tmp/hash-a" "$tmp/hash-b"; then
	echo "cache-check: FAIL: warm outputs differ from the cold build's:" >&2
	diff "$tmp/hash-a" "$tmp/hash-b" >&2 || true
	status=1
fi

# --- step 3: independent local rebuild in B ------------------------------------------
if [ "$quick" = 0 ]; then
	bz "$src_b" "$ob_b" clean >/dev/null 2>&1
	t0="$(now)"
	# shellcheck disable=SC2086
	bz "$src_b" "$ob_b" "${BUILD[@]}" $targets >"$tmp/rebuild.log" 2>&1 ||
		{ tail -40 "$tmp/rebuild.log" >&2; fail "local rebuild failed"; }
	t1="$(now)"
	say "independent local rebuild (no cache): $(elapsed "$t0" "$t1")s; $(summary "$tmp/rebuild.log")"
	hash_outputs "$src_b" "$tmp/rebuild.log" >"$tmp/hash-c"
	if ! diff "$tmp/hash-a" "$tmp/hash-c" >"$tmp/repro.diff"; then
		echo "cache-check: FAIL: not reproducible: two independent builds differ:" >&2
		cat "$tmp/repro.diff" >&2
		status=1
	else
		say "reproducible: the independent rebuild at another path is byte-identical"
	fi
fi

say "outputs (sha256):"
sed 's/^/  /' "$tmp/hash-a"
say "cold ${cold_time}s, warm ${warm_time}s, hit rate $rate% ($hits/$cacheable)"
[ "$status" -eq 0 ] || exit 1
say "ok"
