#!/bin/bash
# gojos setup: from a fresh Debian 12 machine to a working `bazel` on PATH. As root:
#
#   bash toolchain/setup.sh               install or check (idempotent)
#   bash toolchain/setup.sh --uninstall   unmount and remove everything it installed
#
# (From another account: sudo bash toolchain/setup.sh.) Installs, idempotently, offline
# except for the machine's own Debian mirror and Go module proxy, both read from this
# machine's configuration at run time:
#   - the pinned Go SDK: the Go module proxy's golang.org/toolchain module, checked against
#     its go.sum hash (versions.env GO_SDK_SUM), unpacked to $GOJOS_ROOT/sdk/go<version>.
#     Downloading it needs some go command to start with (any module-aware one: the
#     machine's /usr/local/go, Debian's golang-go, …); nothing else uses that one;
#   - a minimal Debian sid tree in $GOJOS_ROOT/sid holding Bazel 7.7.1 (Debian's build),
#     the pinned i686 gcc/binutils, qemu-system-i386 and buildbox (versions.env). A pinned
#     Debian revision that sid no longer has comes from forky (testing); one that neither
#     has is replaced by the same upstream version at another Debian revision, reported and
#     recorded in the tree's /etc/gojos/installed.env (the build's check accepts exactly
#     those); a pinned upstream version that is gone stops the setup: toolchain/update.sh
#     re-pins;
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
SDKDIR="$GOJOS_ROOT/sdk"

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

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and uses chroot)" \
	"as root: bash toolchain/setup.sh   (from another account: sudo bash toolchain/setup.sh)"

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
# The pinned SDK is the module golang.org/toolchain@v0.0.1-go<version>.linux-amd64 of the
# Go module proxy. Any go command can download it; the build then uses only this SDK.
SDK="$SDKDIR/go$GO_VERSION"
SDK_MOD="golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64"

# sdk_h1 DIR: the Go module hash ("h1:…", dirhash.Hash1) of DIR's files as $SDK_MOD,
# the same computation as toolchain/go_sdk.bzl.
sdk_h1() {
	local hex
	hex="$(cd "$1" && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 -r sha256sum |
		sed "s#  #  $SDK_MOD/#" | sha256sum | cut -c1-64)"
	printf '%b' "$(printf '%s' "$hex" | sed 's/../\\x&/g')" | base64
}
# A cheap fingerprint (names, sizes, times) to skip re-hashing an unchanged SDK on re-runs.
sdk_stamp() { (cd "$1" && find . -printf '%P %s %T@\n' | LC_ALL=C sort | sha256sum | cut -c1-64); }

# bootstrap_go: a go command to download with, and the machine's Go settings from it.
bootstrap_go() {
	local g
	for g in "${GOJOS_BOOTSTRAP_GO:-}" "$(command -v go 2>/dev/null)" /usr/local/go/bin/go /usr/lib/go/bin/go "$SDK/bin/go"; do
		[ -n "$g" ] && [ -x "$g" ] && { echo "$g"; return; }
	done
}
BOOT_GO="$(bootstrap_go)"
[ -n "$BOOT_GO" ] || die "no go command to download the pinned Go SDK with" \
	"install any Go (e.g. apt-get install golang-go, or Go at /usr/local/go), or set GOJOS_BOOTSTRAP_GO=/path/to/go"
# The Go module proxy, checksum database etc. as this machine configures them.
for v in GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GONOPROXY GOINSECURE GOFLAGS; do
	val="$(GOTOOLCHAIN=local "$BOOT_GO" env "$v" 2>/dev/null || true)"
	[ -n "$val" ] && export "$v=$val"
done
export GOTOOLCHAIN=local

mkdir -p "$SDKDIR"
if [ ! -x "$SDK/bin/go" ] || [ "$(cat "$SDKDIR/.go$GO_VERSION.stamp" 2>/dev/null)" != "$GO_SDK_SUM $(sdk_stamp "$SDK")" ]; then
	have=""
	[ -d "$SDK" ] && have="$(sdk_h1 "$SDK")"
	if [ "h1:$have" != "$GO_SDK_SUM" ]; then
		[ -n "$have" ] && echo "setup: $SDK has module hash h1:$have, expected $GO_SDK_SUM: fetching it again"
		step "Go SDK $GO_VERSION ($SDK_MOD) from the Go module proxy"
		json="$(cd / && "$BOOT_GO" mod download -json "$SDK_MOD")" ||
			die "go mod download $SDK_MOD failed: $json" "check the Go module proxy setting (go env GOPROXY) and network"
		dir="$(printf '%s\n' "$json" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
		sum="$(printf '%s\n' "$json" | sed -n 's/^\t"Sum": "\(.*\)",$/\1/p')"
		[ "$sum" = "$GO_SDK_SUM" ] || die "Go SDK $SDK_MOD: the Go module proxy's hash is $sum, versions.env pins $GO_SDK_SUM" \
			"check GO_VERSION and GO_SDK_SUM in toolchain/versions.env (the go.sum line of $SDK_MOD)"
		rm -rf "$SDK.new"
		cp -r "$dir" "$SDK.new"
		chmod -R u+w "$SDK.new"
		# Module zips do not record file modes (the go command does the same when it
		# installs a toolchain it downloaded).
		chmod +x "$SDK.new"/bin/* "$SDK.new"/pkg/tool/*/*
		have="$(sdk_h1 "$SDK.new")"
		[ "h1:$have" = "$GO_SDK_SUM" ] || die "the unpacked Go SDK has module hash h1:$have, expected $GO_SDK_SUM" \
			"remove the module cache's copy ($dir) and re-run"
		rm -rf "$SDK"
		mv "$SDK.new" "$SDK"
	fi
	echo "$GO_SDK_SUM $(sdk_stamp "$SDK")" >"$SDKDIR/.go$GO_VERSION.stamp"
fi
found_go="$("$SDK/bin/go" env GOVERSION)"
[ "$found_go" = "go$GO_VERSION" ] || die "Go SDK version mismatch: expected go$GO_VERSION, found $found_go ($SDK)"
export PATH="$SDK/bin:$PATH"

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
	step "debootstrap $DEBIAN_SUITE into $CHROOT (mirror from apt configuration)"
	[ -d "$CHROOT" ] && unmount_tree
	rm -rf --one-file-system "$CHROOT"
	mkdir -p "$CHROOT"
	debootstrap --variant=minbase "$DEBIAN_SUITE" "$CHROOT" "$mirror" >"$GOJOS_ROOT/debootstrap.log" 2>&1 ||
		die "debootstrap failed; log: $GOJOS_ROOT/debootstrap.log" \
			"check that the mirror serves $DEBIAN_SUITE, or set GOJOS_DEBIAN_MIRROR"
	echo "$mirror" >"$CHROOT/.gojos-bootstrapped"
fi
mirror="$(cat "$CHROOT/.gojos-bootstrapped")"
# shellcheck source=debian.sh
. "$here/debian.sh"

# The frozen mirror snapshot has expired Release files; the host may add its own CAs.
echo 'Acquire::Check-Valid-Until "false";' >"$CHROOT/etc/apt/apt.conf.d/99gojos"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
	mkdir -p "$CHROOT/usr/local/share/ca-certificates"
	cp -u /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
fi
cp -u /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true

# (in_chroot, deb_version, the pinned packages and their resolution: debian.sh)
write_apt_sources "$mirror" || true

# What is installed is right when it is the pin, or the substitute setup recorded for it
# (same upstream version); anything else needs the mirror.
need_install=0
for kv in "${PINNED_DEBS[@]}"; do
	key="${kv%%=*}" pkg="${kv#*=}"
	pin="${!key}"
	have="$(deb_version "$pkg")"
	if [ "$have" != "$pin" ] && { [ -z "$have" ] || [ "$(installed_env "$key")" != "$have" ] ||
		[ "$(deb_upstream "$have")" != "$(deb_upstream "$pin")" ]; }; then
		need_install=1
	fi
done
for pkg in libblake3-0 ca-certificates; do
	[ -n "$(deb_version "$pkg")" ] || need_install=1
done

if [ "$need_install" = 1 ]; then
	step "installing Bazel, i686 gcc/binutils, QEMU and buildbox in the sid tree (pinned versions)"
	in_chroot apt-get update -qq >"$GOJOS_ROOT/apt.log" 2>&1 ||
		die "apt-get update in $CHROOT failed; log: $GOJOS_ROOT/apt.log" "check the Debian mirror ($mirror)"
	in_chroot update-ca-certificates >/dev/null 2>&1 || true
	args=()
	for kv in "${PINNED_DEBS[@]}"; do
		key="${kv%%=*}"
		args+=("${kv#*=}" "${!key}")
	done
	resolved="$(mirror_resolve "${args[@]}")" || die "reading the mirror's package lists in $CHROOT failed"
	install=(libblake3-0 ca-certificates)
	substituted=()
	gone=()
	for kv in "${PINNED_DEBS[@]}"; do
		key="${kv%%=*}" pkg="${kv#*=}"
		pin="${!key}"
		read -r _ status version avail < <(printf '%s\n' "$resolved" | awk -v p="$pkg" '$1 == p')
		case "$status" in
		exact) install+=("$pkg=$pin") ;;
		substitute)
			echo "setup: $pkg $pin (pinned, $key) is not on the mirror any more; installing $version," \
				"the same upstream version $(deb_upstream "$pin") at another Debian revision"
			install+=("$pkg=$version")
			substituted+=("$key=$version")
			;;
		*) gone+=("$pkg $pin (pinned, $key): the mirror has no $(deb_upstream "$pin")-* any more; it has: ${avail:-nothing}") ;;
		esac
	done
	if [ "${#gone[@]}" -gt 0 ]; then
		printf 'setup: pinned upstream version gone from the mirror (%s, %s):\n' "$DEBIAN_SUITE" "$DEBIAN_FALLBACK_SUITE" >&2
		printf '  %s\n' "${gone[@]}" >&2
		die "the mirror no longer serves the pinned version(s) above" \
			"bash toolchain/update.sh    # re-pins toolchain/versions.env to what the mirror serves, installs it and runs the checks"
	fi
	read -r -a install <<<"$(with_strict_deps "${install[@]}")"
	in_chroot apt-get install -y --no-install-recommends --allow-downgrades "${install[@]}" \
		>>"$GOJOS_ROOT/apt.log" 2>&1 ||
		die "installing pinned packages failed; log: $GOJOS_ROOT/apt.log" \
			"see 'apt-cache policy <package>' in $CHROOT; toolchain/update.sh re-pins versions.env"
	in_chroot update-ca-certificates >/dev/null 2>&1 || true
	mkdir -p "$CHROOT/etc/gojos"
	{
		echo "# Written by toolchain/setup.sh: pinned Debian packages installed at another Debian"
		echo "# revision (same upstream version) because the mirror no longer had the pinned one."
		echo "# The build's version check (toolchain/extensions.bzl) accepts and reports these."
		[ "${#substituted[@]}" -gt 0 ] && printf '%s\n' "${substituted[@]}"
	} >"$CHROOT$INSTALLED_ENV"
	[ "${#substituted[@]}" -gt 0 ] && echo "setup: recorded in $CHROOT$INSTALLED_ENV: ${substituted[*]}"
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
mkdir -p "$GOJOS_ROOT/bin" "$BINDIR"
if [ "$(cat "$GOJOS_ROOT/bin/.buildifier-version" 2>/dev/null)" != "$BUILDTOOLS_VERSION" ]; then
	step "buildifier (buildtools $BUILDTOOLS_VERSION) from the Go module proxy"
	GOBIN="$GOJOS_ROOT/bin" go install "github.com/bazelbuild/buildtools/buildifier@$BUILDTOOLS_VERSION" ||
		die "go install buildifier failed" "check the Go module proxy setting (go env GOPROXY)"
	echo "$BUILDTOOLS_VERSION" >"$GOJOS_ROOT/bin/.buildifier-version"
fi
ln -sfn "$GOJOS_ROOT/bin/buildifier" "$BINDIR/buildifier"

# --- the bazel wrapper --------------------------------------------------------------
wrapper_new="$(mktemp)"
sed -e "s#@GOJOS_ROOT@#$GOJOS_ROOT#g" -e "s#@GO_SDK@#$SDK#g" -e "s#@BAZEL_VERSION@#$BAZEL_VERSION#g" \
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
for kv in "${PINNED_DEBS[@]}"; do
	key="${kv%%=*}" pkg="${kv#*=}"
	pin="${!key}"
	have="$(deb_version "$pkg")"
	[ "$have" = "$pin" ] || [ "$have" = "$(installed_env "$key")" ] ||
		die "$pkg version mismatch: expected $pin, found ${have:-nothing}" \
			"re-run setup; if the mirror moved on, bash toolchain/update.sh re-pins versions.env"
	# A recorded substitute that is the pin now (toolchain/update.sh re-pinned) is stale.
	if [ "$have" = "$pin" ] && [ -n "$(installed_env "$key")" ]; then
		sed -i "/^$key=/d" "$CHROOT$INSTALLED_ENV"
	fi
done
command -v bazel >/dev/null || die "bazel is not on PATH" "add $BINDIR to PATH"

trap - EXIT
printf 'setup: done in %ss. Next: bazel run //:qemu   and   bazel test //...\n' "$(($(date +%s) - start))"
