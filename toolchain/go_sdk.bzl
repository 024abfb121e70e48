"""The pinned Go SDK, checked by its Go module hash.

The Go module proxy serves every Go release as the module golang.org/toolchain
(version v0.0.1-go<version>.<goos>-<goarch>), immutable and checksum-verified: the same
mechanism GOTOOLCHAIN uses. toolchain/versions.env pins GO_VERSION and the module's go.sum
hash (GO_SDK_SUM, "h1:…"); toolchain/setup.sh downloads the module and unpacks it to
$GOJOS_ROOT/sdk/go<version>, and the bazel wrapper passes that directory's parent as
GOJOS_SDK_DIR.

gojos_go_sdk is a repository of symlinks to that SDK. Before creating it, the rule
recomputes the module hash of every file of the SDK (the dirhash "h1" algorithm of
golang.org/x/mod: sha256 of the sorted "sha256  path" lines) and fails on any difference,
so a changed, truncated or substituted SDK file stops the build. The repository watches
the SDK tree, so the check runs again when any file in it changes. rules_go uses the SDK
through go_sdk.wrap(root_file = "@gojos_go_sdk//:ROOT") in MODULE.bazel.

Without GOJOS_SDK_DIR (upstream Bazel on a machine without the setup), the rule downloads
the same module zip from the first proxy in GOPROXY and checks it the same way.
"""

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

def _hex_to_base64(h):
    data = [int(h[i:i + 2], 16) for i in range(0, len(h), 2)]
    out = []
    for i in range(0, len(data), 3):
        chunk = data[i:i + 3]
        n = len(chunk)
        chunk = chunk + [0] * (3 - n)
        v = (chunk[0] << 16) | (chunk[1] << 8) | chunk[2]
        out.append(_B64[(v >> 18) & 63])
        out.append(_B64[(v >> 12) & 63])
        out.append(_B64[(v >> 6) & 63] if n > 1 else "=")
        out.append(_B64[v & 63] if n > 2 else "=")
    return "".join(out)

# The module hash of a directory: golang.org/x/mod/sumdb/dirhash.Hash1 over every regular
# file, named "<module>@<version>/<relative path>", in byte order.
_H1_SCRIPT = """
set -e
cd "$1"
find . -type f -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 -r sha256sum | sed "s#  #  $2/#" >"$3"
test -s "$3"
sha256sum "$3"
"""

def module_h1(rctx, directory, module_version):
    """Returns the "h1:…" Go module hash of a directory's files.

    Args:
      rctx: the repository context (runs sh, find, sort, sha256sum).
      directory: the unpacked module.
      module_version: "module@version", the prefix of every file name in the hash.

    Returns:
      The hash as go.sum writes it.
    """
    summary = rctx.path("gojos_h1_summary.txt")
    res = rctx.execute(["/bin/sh", "-c", _H1_SCRIPT, "h1", str(directory), module_version, str(summary)])
    if res.return_code != 0:
        fail("hashing the Go SDK in %s failed: %s" % (directory, res.stderr))
    rctx.delete(summary)
    return "h1:" + _hex_to_base64(res.stdout.split(" ")[0].strip())

def sdk_module_version(go_version, goos = "linux", goarch = "amd64"):
    """The golang.org/toolchain module version of a Go release, e.g. v0.0.1-go1.26.8.linux-amd64.

    Args:
      go_version: e.g. "1.26.8".
      goos: the SDK's host system.
      goarch: the SDK's host architecture.

    Returns:
      The module version.
    """
    return "v0.0.1-go%s.%s-%s" % (go_version, goos, goarch)

def _first_proxy(goproxy):
    for p in goproxy.replace("|", ",").split(","):
        p = p.strip()
        if p and p not in ("direct", "off"):
            return p.rstrip("/")
    return None

def _download(rctx, module_version):
    proxy = _first_proxy(rctx.getenv("GOPROXY", "") or "")
    if not proxy:
        fail("gojos Go SDK: GOJOS_SDK_DIR is not set (run toolchain/setup.sh) and GOPROXY " +
             "names no proxy to download golang.org/toolchain@%s from" % module_version)
    rctx.report_progress("Downloading golang.org/toolchain@%s" % module_version)
    rctx.download_and_extract(
        url = "%s/golang.org/toolchain/@v/%s.zip" % (proxy, module_version),
        output = "sdk",
        stripPrefix = "golang.org/toolchain@" + module_version,
    )

    # Module zips do not record file modes.
    rctx.execute(["/bin/sh", "-c", 'chmod +x "$1"/bin/* "$1"/pkg/tool/*/*', "x", str(rctx.path("sdk"))])
    return rctx.path("sdk")

def _go_sdk_repo_impl(rctx):
    want = {}
    for line in rctx.read(rctx.attr.versions).splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            want[k.strip()] = v.strip()
    for k in ["GO_VERSION", "GO_SDK_SUM"]:
        if k not in want:
            fail("gojos Go SDK: toolchain/versions.env has no %s" % k)
    module_version = sdk_module_version(want["GO_VERSION"])

    base = rctx.getenv("GOJOS_SDK_DIR")
    if base:
        sdk = rctx.path("%s/go%s" % (base, want["GO_VERSION"]))
        if not sdk.exists:
            fail(("gojos Go SDK: %s does not exist (versions.env pins Go %s)\n" +
                  "Run the setup command (toolchain/setup.sh): it downloads the SDK from the Go module proxy.") %
                 (sdk, want["GO_VERSION"]))
        rctx.watch_tree(sdk)
    else:
        sdk = _download(rctx, module_version)

    found = module_h1(rctx, sdk, "golang.org/toolchain@" + module_version)
    if found != want["GO_SDK_SUM"]:
        fail(("gojos pinned toolchain mismatch (toolchain/versions.env):\n" +
              "  Go SDK %s (golang.org/toolchain@%s): expected %s, found %s\n" +
              "Some file of the SDK differs from the module the Go module proxy serves. " +
              "Run the setup command (toolchain/setup.sh) to download and unpack it again.") %
             (sdk, module_version, want["GO_SDK_SUM"], found))

    for entry in sdk.readdir():
        if entry.basename not in ("BUILD.bazel", "WORKSPACE", "REPO.bazel", "sdk"):
            rctx.symlink(entry, entry.basename)
    rctx.file("ROOT", "")
    rctx.file("sdk_sum.txt", "golang.org/toolchain@%s %s\n" % (module_version, found))
    rctx.file("BUILD.bazel", 'exports_files(["ROOT", "VERSION", "sdk_sum.txt"])\n')

gojos_go_sdk = repository_rule(
    implementation = _go_sdk_repo_impl,
    attrs = {"versions": attr.label(allow_single_file = True)},
    doc = "The pinned Go SDK (golang.org/toolchain module), checked by its go.sum hash.",
)
