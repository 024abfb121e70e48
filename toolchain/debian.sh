# shellcheck shell=bash
# Pinned Debian packages of the Bazel tree: shared by toolchain/setup.sh and
# toolchain/update.sh (sourced, after versions.env; needs CHROOT).
#
# A pin (versions.env KEY=version) is resolved against what the mirror serves now, in
# the tree's apt sources ($DEBIAN_SUITE, then $DEBIAN_FALLBACK_SUITE at low priority):
#   exact      the pinned version is there: install it;
#   substitute the pinned Debian revision is gone but the same upstream version is there
#              at another revision (a binNMU "+b2", a "-9" upload): install the newest of
#              those, say so, and record it in /etc/gojos/installed.env of the tree, which
#              the build's version check (toolchain/extensions.bzl) accepts and reports;
#   gone       not even the upstream version is there: stop; toolchain/update.sh re-pins.

# versions.env key → Debian package.
PINNED_DEBS=(
	BAZEL_DEB_VERSION=bazel-bootstrap
	GCC_I686_DEB_VERSION=gcc-i686-linux-gnu
	BINUTILS_I686_DEB_VERSION=binutils-i686-linux-gnu
	QEMU_DEB_VERSION=qemu-system-x86
	BUILDBOX_DEB_VERSION=buildbox
)
INSTALLED_ENV=/etc/gojos/installed.env

in_chroot() {
	# A private mount namespace so nothing stays mounted after the command.
	unshare --mount --propagation private -- /bin/sh -c '
		c="$1"; shift
		mount -t proc proc "$c/proc"
		mount --rbind /dev "$c/dev"
		exec chroot "$c" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"' sh "$CHROOT" "$@"
}

deb_version() { in_chroot dpkg-query -W -f '${Version}' "$1" 2>/dev/null || true; }

# The epoch and upstream version: everything before the last "-" (the Debian revision,
# binNMU suffix included, follows it).
deb_upstream() { case "$1" in *-*) echo "${1%-*}" ;; *) echo "$1" ;; esac; }

# installed_env KEY: the version setup.sh recorded as substituted for KEY, if any.
installed_env() { sed -n "s/^$1=//p" "$CHROOT$INSTALLED_ENV" 2>/dev/null | tail -1; }

# write_apt_sources MIRROR: the main suite, and the fallback suite at priority 100 so that
# it never replaces anything but serves exact versions the main suite no longer has.
write_apt_sources() {
	mkdir -p "$CHROOT/etc/apt/preferences.d"
	printf 'deb %s %s main\ndeb %s %s main\n' "$1" "$DEBIAN_SUITE" "$1" "$DEBIAN_FALLBACK_SUITE" \
		>"$CHROOT/etc/apt/sources.list.new"
	printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n' "$DEBIAN_FALLBACK_SUITE" \
		>"$CHROOT/etc/apt/preferences.d/gojos-fallback.new"
	local f changed=1
	for f in "$CHROOT/etc/apt/sources.list" "$CHROOT/etc/apt/preferences.d/gojos-fallback"; do
		if cmp -s "$f.new" "$f"; then rm -f "$f.new"; else mv "$f.new" "$f" && changed=0; fi
	done
	return $changed # 0: the sources changed (apt-get update needed)
}

# mirror_resolve PKG PIN...: one line per package, "PKG STATUS VERSION AVAILABLE...", where
# STATUS is exact, substitute or gone (VERSION "-"), and AVAILABLE lists every version of
# PKG the mirror has (newest first). Run after apt-get update.
mirror_resolve() {
	# shellcheck disable=SC2016
	in_chroot /bin/sh -c '
		while [ $# -gt 1 ]; do
			pkg=$1 pin=$2
			shift 2
			avail=$(apt-cache madison "$pkg" | awk -F"|" "\$3 ~ /Packages/ { gsub(/ /, \"\", \$2); print \$2 }" | sort -u)
			# newest first: rank each version by how many are newer
			sorted=$(for v in $avail; do
				n=0
				for w in $avail; do dpkg --compare-versions "$w" gt "$v" && n=$((n + 1)); done
				echo "$n $v"
			done | sort -n | cut -d" " -f2)
			case "$pin" in *-*) up=${pin%-*} ;; *) up=$pin ;; esac
			if printf "%s\n" $avail | grep -qxF -- "$pin"; then
				echo "$pkg exact $pin" $sorted
				continue
			fi
			best=""
			for v in $sorted; do
				case "$v" in "$up"-*) best=$v && break ;; esac
			done
			if [ -n "$best" ]; then
				echo "$pkg substitute $best" $sorted
			else
				echo "$pkg gone -" $sorted
			fi
		done' sh "$@"
}

# with_strict_deps PKG=VERSION...: the same, plus every package they depend on at an exact
# version ("Depends: foo (= 1.2-3)", usually a sibling of the same source), recursively,
# so that a pin taken from the fallback suite brings its siblings from there too (apt
# itself would pick the siblings' candidates from the main suite and fail).
with_strict_deps() {
	# shellcheck disable=SC2016
	in_chroot /bin/sh -c '
		seen=""
		queue="$*"
		while :; do
			set -- $queue
			[ $# -gt 0 ] || break
			item=$1
			shift
			queue="$*"
			case " $seen " in *" $item "*) continue ;; esac
			seen="$seen $item"
			case "$item" in *=*) ;; *) continue ;; esac
			deps=$(apt-cache show "$item" 2>/dev/null | sed -n "s/^Pre-Depends: //p; s/^Depends: //p" |
				tr "," "\n" | sed -n "s/^ *\([^ :|(]*\)\(:any\)\{0,1\} (= \([^)]*\)).*/\1=\3/p")
			queue="$queue $deps"
		done
		echo $seen' sh "$@"
}
