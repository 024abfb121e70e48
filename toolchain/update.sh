#!/bin/bash
# update.sh — re-pin toolchain/versions.env to what the Debian mirror serves now, install
# that and run the checks. For when toolchain/setup.sh stops because a pinned upstream
# version is gone from the mirror, or to move the toolchain forward on purpose. As root:
#
#   bash toolchain/update.sh            re-pin what is gone or substituted, install, then
#                                       bazel build //:image and bazel test //...
#   bash toolchain/update.sh --all      re-pin every Debian package to the newest version
#   bash toolchain/update.sh --dry-run  only print what would change
#   bash toolchain/update.sh --no-test  install and build //:image, skip bazel test //...
#
# Reads the mirror through the Bazel tree's apt (DEBIAN_SUITE, then DEBIAN_FALLBACK_SUITE:
# toolchain/debian.sh), rewrites the *_DEB_VERSION lines (and BAZEL_VERSION with
# .bazelversion, GCC_I686_VERSION when they follow), runs toolchain/setup.sh to install
# exactly the new pins, and tests. The Go SDK is not touched: the Go module proxy never
# drops a version. Review `git diff toolchain/versions.env` and commit it with the results.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
GOJOS_ROOT="${GOJOS_ROOT:-/opt/gojos}"
CHROOT="$GOJOS_ROOT/sid"
VERSIONS="$here/versions.env"
all=0 dry=0 test=1
for a in "$@"; do
	case "$a" in
	--all) all=1 ;;
	--dry-run) dry=1 ;;
	--no-test) test=0 ;;
	*)
		sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
		exit 2
		;;
	esac
done

say() { printf 'update: %s\n' "$*"; }
die() {
	printf 'update: error: %s\n' "$1" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] || die "must run as root (it runs apt in $CHROOT and the setup)"
[ -f "$CHROOT/.gojos-bootstrapped" ] ||
	die "no Bazel tree at $CHROOT: run bash toolchain/setup.sh first (it makes the tree before installing pins)"

# shellcheck source=versions.env
. "$VERSIONS"
# shellcheck source=debian.sh
. "$here/debian.sh"

write_apt_sources "$(cat "$CHROOT/.gojos-bootstrapped")" || true
say "reading the mirror ($DEBIAN_SUITE, $DEBIAN_FALLBACK_SUITE)"
in_chroot apt-get update -qq >"$GOJOS_ROOT/apt-update.log" 2>&1 ||
	die "apt-get update in $CHROOT failed; log: $GOJOS_ROOT/apt-update.log"

args=()
for kv in "${PINNED_DEBS[@]}"; do
	key="${kv%%=*}"
	args+=("${kv#*=}" "${!key}")
done
resolved="$(mirror_resolve "${args[@]}")"

set_key() { # KEY VALUE: rewrite one line of versions.env
	sed -i "s|^$1=.*|$1=$2|" "$VERSIONS"
}

changed=0
for kv in "${PINNED_DEBS[@]}"; do
	key="${kv%%=*}" pkg="${kv#*=}"
	pin="${!key}"
	read -r _ status _ newest _ < <(printf '%s\n' "$resolved" | awk -v p="$pkg" '$1 == p')
	if [ -z "${newest:-}" ]; then
		die "$pkg: the mirror has no version at all"
	fi
	if [ "$status" = exact ] && { [ "$all" = 0 ] || [ "$newest" = "$pin" ]; }; then
		say "$key=$pin: still served ($pkg)"
		continue
	fi
	case "$status" in
	exact) why="a newer version is served" ;;
	substitute) why="the pinned revision is gone, its upstream version is not" ;;
	*) why="the pinned upstream version is gone" ;;
	esac
	say "$key: $pin -> $newest ($pkg: $why)"
	changed=1
	[ "$dry" = 1 ] && continue
	set_key "$key" "$newest"
	if [ "$key" = BAZEL_DEB_VERSION ]; then
		bazel="$(deb_upstream "$newest")"
		bazel="${bazel#*:}"
		bazel="${bazel%%+*}"
		if [ "$bazel" != "$BAZEL_VERSION" ]; then
			say "BAZEL_VERSION: $BAZEL_VERSION -> $bazel (and .bazelversion): a new Bazel; re-test everything"
			set_key BAZEL_VERSION "$bazel"
			echo "$bazel" >"$repo/.bazelversion"
		fi
	fi
done
if [ "$dry" = 1 ]; then
	say "dry run: versions.env unchanged"
	exit 0
fi
if [ "$changed" = 0 ]; then
	say "every pin is served as it is; nothing to re-pin"
fi

say "installing the pins (toolchain/setup.sh)"
GOJOS_ROOT="$GOJOS_ROOT" bash "$here/setup.sh"
gcc="$(in_chroot i686-linux-gnu-gcc -dumpfullversion)"
if [ "$gcc" != "$GCC_I686_VERSION" ]; then
	say "GCC_I686_VERSION: $GCC_I686_VERSION -> $gcc"
	set_key GCC_I686_VERSION "$gcc"
fi

cd "$repo"
say "checking: bazel build //:image"
bazel build //:image
if [ "$test" = 1 ]; then
	say "checking: bazel test //..."
	bazel test //...
fi
say "done; review and commit:"
git -C "$repo" diff --stat -- toolchain/versions.env .bazelversion || true
