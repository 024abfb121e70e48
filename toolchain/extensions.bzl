"""Pinned-toolchain check, and the repositories that hold the pinned tools.

Reads toolchain/versions.env (the one place where versions are recorded), asks the
installed tools for their versions and fails the build with "expected X, found Y" on any
mismatch. The generated @gojos_toolchain repository exposes the checked versions and tool
paths to the rest of the build (toolchain/BUILD.bazel loads it, so every build that
resolves a toolchain runs the check). The check re-runs whenever versions.env, the Go
SDK or the Debian package database changes.

A Debian package may be installed at another Debian revision than the pinned one when
the mirror no longer had the pinned revision but had the same upstream version (setup.sh
substitutes it and records that in /etc/gojos/installed.env of the Bazel tree); the check
accepts exactly those recorded substitutions and reports them.

The same extension creates @gojos_go_sdk (go_sdk.bzl: the Go SDK, checked by its Go
module hash) and @gojos_i686 (i686.bzl: the i686 gcc and binutils as action inputs).
"""

load(":go_sdk.bzl", "gojos_go_sdk")
load(":i686.bzl", "gojos_i686")

_INSTALLED = "/etc/gojos/installed.env"

def _parse_env(content):
    out = {}
    for line in content.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        out[k.strip()] = v.strip()
    return out

def _run(rctx, args):
    res = rctx.execute(args)
    if res.return_code != 0:
        return None
    return res.stdout.strip()

def _deb_version(rctx, pkg):
    return _run(rctx, ["dpkg-query", "-W", "-f", "${Version}", pkg]) or "(not installed)"

def _upstream(version):
    """The epoch and upstream part of a Debian version: all before the last "-"."""
    return version.rsplit("-", 1)[0] if "-" in version else version

def _toolchain_repo_impl(rctx):
    want = _parse_env(rctx.read(rctx.attr.versions))
    errors = []
    notes = []
    found = {}

    # The Go SDK: @gojos_go_sdk has checked every file against GO_SDK_SUM already.
    sdk_version = rctx.read(rctx.path(rctx.attr.go_sdk_version)).splitlines()[0]
    found["GO_VERSION"] = sdk_version[2:] if sdk_version.startswith("go") else sdk_version
    found["GO_SDK_SUM"] = rctx.read(rctx.path(rctx.attr.go_sdk_sum)).strip().split(" ")[-1]

    gcc = rctx.which("i686-linux-gnu-gcc")
    if gcc == None:
        found["GCC_I686_VERSION"] = "(not installed)"
    else:
        rctx.watch(gcc)
        found["GCC_I686_VERSION"] = _run(rctx, [gcc, "-dumpfullversion"]) or "(unknown)"

    dpkg_status = rctx.path("/var/lib/dpkg/status")
    if dpkg_status.exists:
        rctx.watch(dpkg_status)
    installed = {}
    if rctx.path(_INSTALLED).exists:
        rctx.watch(_INSTALLED)
        installed = _parse_env(rctx.read(_INSTALLED))
    found["BAZEL_VERSION"] = native.bazel_version or "(unknown)"
    found["BAZEL_DEB_VERSION"] = _deb_version(rctx, "bazel-bootstrap")
    found["GCC_I686_DEB_VERSION"] = _deb_version(rctx, "gcc-i686-linux-gnu")
    found["BINUTILS_I686_DEB_VERSION"] = _deb_version(rctx, "binutils-i686-linux-gnu")
    found["QEMU_DEB_VERSION"] = _deb_version(rctx, "qemu-system-x86")
    found["BUILDBOX_DEB_VERSION"] = _deb_version(rctx, "buildbox")

    names = {
        "BAZEL_VERSION": "Bazel",
        "BAZEL_DEB_VERSION": "Debian package bazel-bootstrap",
        "BUILDBOX_DEB_VERSION": "Debian package buildbox",
        "GO_VERSION": "Go SDK",
        "GO_SDK_SUM": "Go SDK module hash",
        "GCC_I686_VERSION": "i686-linux-gnu-gcc",
        "GCC_I686_DEB_VERSION": "Debian package gcc-i686-linux-gnu",
        "BINUTILS_I686_DEB_VERSION": "Debian package binutils-i686-linux-gnu",
        "QEMU_DEB_VERSION": "Debian package qemu-system-x86",
    }
    for key in sorted(names):
        if key not in want:
            errors.append("%s: toolchain/versions.env has no %s" % (names[key], key))
        elif want[key] == found[key]:
            pass
        elif (key.endswith("_DEB_VERSION") and installed.get(key) == found[key] and
              _upstream(found[key]) == _upstream(want[key])):
            notes.append("%s: pinned %s, installed %s (same upstream version %s; the mirror lacked the pin at setup)" %
                         (names[key], want[key], found[key], _upstream(want[key])))
        else:
            errors.append("%s: expected %s, found %s" % (names[key], want[key], found[key]))
    if notes:
        # buildifier: disable=print
        print("gojos toolchain: substituted Debian revisions (toolchain/setup.sh; " +
              "toolchain/update.sh re-pins):\n  " + "\n  ".join(notes))
    if errors:
        fail("gojos pinned toolchain mismatch (toolchain/versions.env):\n  " +
             "\n  ".join(errors) +
             "\nRun the setup command (toolchain/setup.sh as root); if the mirror moved on, " +
             "toolchain/update.sh re-pins versions.env to what it serves.")

    qemu = rctx.which("qemu-system-i386")
    rctx.file("BUILD.bazel", 'exports_files(["versions.bzl", "versions.txt", "cc_versions.txt"])\n')

    # Tools run by absolute path are not action inputs, so a (remote) cache cannot see
    # their versions. These files can be: every checked version (e.g. a data dependency
    # of tests that boot QEMU, so a QEMU upgrade re-runs them instead of reusing cached
    # results), and the C compiler's and binutils' alone (the cc toolchain's files).
    rctx.file("versions.txt", "".join(["%s=%s\n" % (k, found[k]) for k in sorted(names)]) +
                              "".join(["# %s\n" % n for n in notes]))
    rctx.file("cc_versions.txt", "".join([
        "%s=%s\n" % (k, found[k])
        for k in ["BINUTILS_I686_DEB_VERSION", "GCC_I686_DEB_VERSION", "GCC_I686_VERSION"]
    ]))
    rctx.file("versions.bzl", "\n".join([
        '"""Generated by //toolchain:extensions.bzl; checked against versions.env."""',
        "",
        "VERSIONS = %s" % repr({k: found[k] for k in sorted(names)}),
        'QEMU = "%s"' % (str(qemu) if qemu else ""),
        "",
    ]))

_toolchain_repo = repository_rule(
    implementation = _toolchain_repo_impl,
    attrs = {
        "versions": attr.label(allow_single_file = True),
        "go_sdk_version": attr.label(allow_single_file = True),
        "go_sdk_sum": attr.label(allow_single_file = True),
    },
    local = True,
)

def _toolchain_check_impl(_mctx):
    gojos_go_sdk(
        name = "gojos_go_sdk",
        versions = Label("//toolchain:versions.env"),
    )
    gojos_i686(name = "gojos_i686")
    _toolchain_repo(
        name = "gojos_toolchain",
        versions = Label("//toolchain:versions.env"),
        go_sdk_version = "@gojos_go_sdk//:VERSION",
        go_sdk_sum = "@gojos_go_sdk//:sdk_sum.txt",
    )

toolchain_check = module_extension(implementation = _toolchain_check_impl)
