#!/bin/bash
# gojos setup: from a fresh Debian 12 machine to a working `bazel` on PATH.
#
#   sudo toolchain/setup.sh               install or check (idempotent)
#   sudo toolchain/setup.sh --uninstall   unmount and remove everything it installed
#
# Installs (idempotently, offline except for the machine's own Debian mirror and Go module
# proxy, both read from this machine's configuration at run time):
#   - a minimal Debian sid tree in $GOJOS_ROOT/sid holding Bazel 7.7.1 (Debian's build),
#     the pinned i686 gcc/binutils and qemu-system-i386 (versions: toolchain/versions.env);
#   - offline copies of rules_go and gazelle (from the Go module proxy) and small stand-in
#     modules for the few that no reachable registry serves (toolchain/offline/);
#   - buildifier in $GOJOS_ROOT/bin, linked into /usr/local/bin;
#   - /usr/local/bin/bazel: a wrapper that runs that Bazel inside the sid tree with the
#     workspace, the Go SDK and Bazel's output root mounted at identical paths.
# A second run checks everything and changes nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
GOJOS_ROOT="${GOJOS_ROOT:-/opt/gojos}"
CHROOT="$GOJOS_ROOT/sid"
MODDIR="$GOJOS_ROOT/modules"
BINDIR="${GOJOS_BINDIR:-/usr/local/bin}"
GOROOT_HOST="${GOROOT_HOST:-/usr/local/go}"

# shellcheck source=versions.env
. "$here/versions.env"

start=$(date +%s)
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() {
	printf 'setup: error: %s\n' "$1" >&2
	shift
	for hint in "$@"; do printf '  fix: %s\n' "$hint" >&2; done
	exit 1
}
trap 'rc=$?; [ $rc -eq 0 ] || printf "setup: failed (exit %d) in step above; re-run after fixing, setup is idempotent\n" "$rc" >&2' EXIT

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and uses chroot)" "run: sudo $0"

# unmount_tree removes every mount the bazel wrapper made inside the sid tree
# (the workspace, /dev, /proc, /sys, the Go SDK, Bazel's output root), deepest first.
unmount_tree() {
	local m
	awk -v p="$CHROOT/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -ru |
		while IFS= read -r m; do umount -l "$m" 2>/dev/null || true; done
	if awk -v p="$CHROOT/" 'index($2, p) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		die "could not unmount everything under $CHROOT" "see: grep $CHROOT /proc/mounts"
	fi
}

# --uninstall: unmount, then remove everything setup made. Never rm -rf the tree
# while its mounts are there: they include /dev, /sys and your workspace.
if [ "${1:-}" = "--uninstall" ]; then
	unmount_tree
	rm -rf --one-file-system "$GOJOS_ROOT"
	for f in bazel buildifier; do
		[ -L "$BINDIR/$f" ] || grep -qs "gojos wrapper" "$BINDIR/$f" && rm -f "$BINDIR/$f"
	done
	echo "setup: removed $GOJOS_ROOT and the bazel/buildifier commands"
	trap - EXIT
	exit 0
fi
[ "$(uname -m)" = x86_64 ] || die "host must be x86_64, found $(uname -m)"

# --- Go SDK -------------------------------------------------------------------------
step "Go SDK $GO_VERSION at $GOROOT_HOST"
[ -x "$GOROOT_HOST/bin/go" ] || die "no Go SDK at $GOROOT_HOST" \
	"install Go $GO_VERSION at $GOROOT_HOST, or set GOROOT_HOST=/path/to/go"
found_go="$("$GOROOT_HOST/bin/go" env GOVERSION)"
[ "$found_go" = "go$GO_VERSION" ] || die "Go SDK version mismatch: expected go$GO_VERSION, found $found_go ($GOROOT_HOST)" \
	"install Go $GO_VERSION, or change GO_VERSION in toolchain/versions.env and test everything"
export PATH="$GOROOT_HOST/bin:$PATH"

# --- Debian mirror (from this machine's apt configuration) --------------------------
debian_mirror() {
	if [ -n "${GOJOS_DEBIAN_MIRROR:-}" ]; then
		echo "$GOJOS_DEBIAN_MIRROR"
		return
	fi
	local f uri
	# deb822 .sources files: the URIs line of the stanza whose Suites name the release.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri="$(awk 'BEGIN{RS=""} /Suites:[^\n]*(bookworm|trixie|sid)( |\n|$)/ && !/-security/ {
			for (i = 1; i <= NF; i++) if ($i == "URIs:") { print $(i+1); exit } }' "$f")"
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	# one-line sources.list format.
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' "$f")"
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
}

# --- host packages ------------------------------------------------------------------
if ! command -v debootstrap >/dev/null; then
	step "installing debootstrap on the host"
	apt-get update -qq || die "apt-get update failed" "check the machine's Debian mirror in /etc/apt/sources.list.d"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
		die "could not install debootstrap" "apt-get install debootstrap"
fi

# --- the sid tree -------------------------------------------------------------------
if [ ! -f "$CHROOT/.gojos-bootstrapped" ]; then
	mirror="$(debian_mirror)"
	[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt" "set GOJOS_DEBIAN_MIRROR=<mirror URL>"
	step "debootstrap sid into $CHROOT (mirror from apt configuration)"
	[ -d "$CHROOT" ] && unmount_tree
	rm -rf --one-file-system "$CHROOT"
	mkdir -p "$CHROOT"
	debootstrap --variant=minbase sid "$CHROOT" "$mirror" >"$GOJOS_ROOT/debootstrap.log" 2>&1 ||
		die "debootstrap failed; log: $GOJOS_ROOT/debootstrap.log" \
			"check that the mirror serves sid, or set GOJOS_DEBIAN_MIRROR"
	echo "$mirror" >"$CHROOT/.gojos-bootstrapped"
fi
mirror="$(cat "$CHROOT/.gojos-bootstrapped")"

# The frozen mirror snapshot has expired Release files; the host may add its own CAs.
echo 'Acquire::Check-Valid-Until "false";' >"$CHROOT/etc/apt/apt.conf.d/99gojos"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
	mkdir -p "$CHROOT/usr/local/share/ca-certificates"
	cp -u /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
fi
cp -u /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true

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

want_pkgs=(
	"bazel-bootstrap=$BAZEL_DEB_VERSION"
	"gcc-i686-linux-gnu=$GCC_I686_DEB_VERSION"
	"binutils-i686-linux-gnu=$BINUTILS_I686_DEB_VERSION"
	"qemu-system-x86=$QEMU_DEB_VERSION"
	libblake3-0 ca-certificates
)
need_install=0
for p in "${want_pkgs[@]}"; do
	name="${p%%=*}"
	want="${p#*=}"
	have="$(deb_version "$name")"
	if [ -z "$have" ] || { [ "$want" != "$name" ] && [ "$have" != "$want" ]; }; then
		need_install=1
	fi
done
if [ "$need_install" = 1 ]; then
	step "installing Bazel, i686 gcc/binutils and QEMU in the sid tree (pinned versions)"
	in_chroot apt-get update -qq >"$GOJOS_ROOT/apt.log" 2>&1 ||
		die "apt-get update in $CHROOT failed; log: $GOJOS_ROOT/apt.log" "check the Debian mirror ($mirror)"
	in_chroot update-ca-certificates >/dev/null 2>&1 || true
	in_chroot apt-get install -y --no-install-recommends --allow-downgrades "${want_pkgs[@]}" \
		>>"$GOJOS_ROOT/apt.log" 2>&1 ||
		die "installing pinned packages failed; log: $GOJOS_ROOT/apt.log" \
			"the mirror may no longer have a pinned version: see 'apt-cache policy' in $CHROOT and update toolchain/versions.env"
	in_chroot update-ca-certificates >/dev/null 2>&1 || true
fi

# Debian strips Bazel's build-data.properties, so `bazel version` and
# native.bazel_version are empty; give it one.
bd_jar="/usr/share/bazel/gojos-build-data.jar"
bd_list="$CHROOT/usr/share/bazel/bazel_classpath_debian_depends.txt"
if [ ! -f "$CHROOT$bd_jar" ] || ! grep -qx "$bd_jar" "$bd_list"; then
	command -v python3 >/dev/null || die "python3 is needed to write a small jar" "apt-get install python3"
	step "adding build-data.properties (build.label=$BAZEL_VERSION) to Debian's Bazel"
	python3 - "$CHROOT$bd_jar" "$BAZEL_VERSION" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    info = zipfile.ZipInfo("build-data.properties", (1980, 1, 1, 0, 0, 0))
    z.writestr(info, "build.label=%s\nbuild.timestamp.as.int=0\nbuild.timestamp=0\nbuild.target=bazel\n" % sys.argv[2])
PY
	grep -qx "$bd_jar" "$bd_list" || echo "$bd_jar" >>"$bd_list"
fi

# --- Bazel modules from the Go module proxy ----------------------------------------
copy_gomod() { # module@version destdir
	local dir
	[ -f "$2/.gojos-version" ] && [ "$(cat "$2/.gojos-version")" = "$1" ] && return 0
	dir="$(go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
	[ -n "$dir" ] && [ -d "$dir" ] || die "go mod download $1 failed" \
		"check the Go module proxy setting (go env GOPROXY) and network"
	rm -rf "$2"
	mkdir -p "$(dirname "$2")"
	cp -r "$dir" "$2"
	chmod -R u+w "$2"
	# Module zips lose exec bits.
	find "$2" \( -name '*.sh' -o -name '*.bash' -o -name '*.py' \) -exec chmod +x {} +
	echo "$1" >"$2/.gojos-version"
}
step "rules_go $RULES_GO_VERSION and gazelle $GAZELLE_VERSION from the Go module proxy"
mkdir -p "$MODDIR"
copy_gomod "github.com/bazelbuild/rules_go@v$RULES_GO_VERSION" "$MODDIR/rules_go"
copy_gomod "github.com/bazelbuild/bazel-gazelle@v$GAZELLE_VERSION" "$MODDIR/gazelle"
# Gazelle's nested v2 module is dropped from its zip; take the version its go.mod names.
g2="$(sed -n 's#^\s*github.com/bazel-contrib/bazel-gazelle/v2 \(v[^ ]*\).*#\1#p' "$MODDIR/gazelle/go.mod" | head -1)"
if [ -n "$g2" ]; then
	copy_gomod "github.com/bazel-contrib/bazel-gazelle/v2@$g2" "$MODDIR/gazelle-v2"
	if [ ! -f "$MODDIR/gazelle/v2/.gojos-version" ] || ! cmp -s "$MODDIR/gazelle/v2/.gojos-version" "$MODDIR/gazelle-v2/.gojos-version"; then
		rm -rf "$MODDIR/gazelle/v2"
		cp -r "$MODDIR/gazelle-v2" "$MODDIR/gazelle/v2"
	fi
fi
# Stand-ins for modules that no reachable registry serves.
for d in "$here"/offline/*/; do
	n="$(basename "$d")"
	if ! diff -rq "$d" "$MODDIR/$n" >/dev/null 2>&1; then
		rm -rf "${MODDIR:?}/$n"
		cp -r "$d" "$MODDIR/$n"
	fi
done

rc_new="$(mktemp)"
{
	echo "# Written by gojos toolchain/setup.sh: offline module copies for this machine."
	echo "common --override_module=rules_go=$MODDIR/rules_go"
	echo "common --override_module=gazelle=$MODDIR/gazelle"
	for d in "$here"/offline/*/; do
		echo "common --override_module=$(basename "$d")=$MODDIR/$(basename "$d")"
	done
} >"$rc_new"
if ! cmp -s "$rc_new" "$CHROOT/etc/bazel.bazelrc"; then
	mv "$rc_new" "$CHROOT/etc/bazel.bazelrc"
	chmod 644 "$CHROOT/etc/bazel.bazelrc"
else
	rm -f "$rc_new"
fi

# --- buildifier ---------------------------------------------------------------------
mkdir -p "$GOJOS_ROOT/bin"
if [ "$(cat "$GOJOS_ROOT/bin/.buildifier-version" 2>/dev/null)" != "$BUILDTOOLS_VERSION" ]; then
	step "buildifier (buildtools $BUILDTOOLS_VERSION) from the Go module proxy"
	GOBIN="$GOJOS_ROOT/bin" go install "github.com/bazelbuild/buildtools/buildifier@$BUILDTOOLS_VERSION" ||
		die "go install buildifier failed" "check the Go module proxy setting (go env GOPROXY)"
	echo "$BUILDTOOLS_VERSION" >"$GOJOS_ROOT/bin/.buildifier-version"
fi
ln -sfn "$GOJOS_ROOT/bin/buildifier" "$BINDIR/buildifier"

# --- the bazel wrapper --------------------------------------------------------------
wrapper_new="$(mktemp)"
sed -e "s#@GOJOS_ROOT@#$GOJOS_ROOT#g" -e "s#@GOROOT@#$GOROOT_HOST#g" -e "s#@BAZEL_VERSION@#$BAZEL_VERSION#g" \
	"$here/bazel-wrapper.sh" >"$wrapper_new"
if ! cmp -s "$wrapper_new" "$BINDIR/bazel"; then
	step "installing $BINDIR/bazel"
	install -m 755 "$wrapper_new" "$BINDIR/bazel"
fi
rm -f "$wrapper_new"

# --- remote build cache server (issue #6; tools/cache/cache.sh, docs/cache.md) -------
# Debian 12's `nginx` package is the server binary itself, with ngx_http_dav_module
# (PUT + create_full_put_path) compiled in; nginx-light/nginx-core only add dynamic
# modules. tools/cache/cache.sh runs it with its own config, port and pid file. The
# package's own service must not start: policy-rc.d denies it during the install.
if [ ! -x /usr/sbin/nginx ]; then
	step "installing nginx (the remote build cache server) on the host"
	own_policy=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		own_policy=1
	fi
	nginx_ok=0
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }; } &&
		nginx_ok=1
	[ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
	[ "$nginx_ok" = 1 ] || die "could not install nginx" "apt-get install --no-install-recommends nginx"
fi
/usr/sbin/nginx -V 2>&1 | grep -q -- '--with-http_dav_module' ||
	die "/usr/sbin/nginx lacks ngx_http_dav_module (needed by tools/cache/cache.sh)" \
		"install Debian's nginx package: apt-get install --reinstall nginx"
# --- end of remote build cache server ------------------------------------------------

# --- final checks -------------------------------------------------------------------
check() { # what expected found
	[ "$2" = "$3" ] || die "$1 version mismatch: expected $2, found $3" \
		"re-run setup; if the mirror moved on, update toolchain/versions.env"
}
check "bazel-bootstrap" "$BAZEL_DEB_VERSION" "$(deb_version bazel-bootstrap)"
check "gcc-i686-linux-gnu" "$GCC_I686_DEB_VERSION" "$(deb_version gcc-i686-linux-gnu)"
check "binutils-i686-linux-gnu" "$BINUTILS_I686_DEB_VERSION" "$(deb_version binutils-i686-linux-gnu)"
check "qemu-system-x86" "$QEMU_DEB_VERSION" "$(deb_version qemu-system-x86)"
command -v bazel >/dev/null || die "bazel is not on PATH" "add $BINDIR to PATH"

trap - EXIT
printf 'setup: done in %ss. Next: bazel run //:qemu   and   bazel test //...\n' "$(($(date +%s) - start))"
