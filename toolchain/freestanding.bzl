"""Rules for freestanding i386 code built with the pinned i686 gcc (//toolchain:i386_elf).

- i386_flat_binary: C and assembly linked by a linker script and turned into a flat binary
  with objcopy (the boot loader).
- i386_module: C and assembly combined with `ld -r` into one ELF32 relocatable object, a
  loadable kernel module (`.ko`), signed with the build's module-signing key
  (//modules/keys:signing_key; kern/modsign has the format). The unsigned object is in
  output group `unsigned`.

Both rules switch their own configuration to the bare-metal i386 platform, so
`bazel build //boot:loader` works from the default (host) configuration and the objects
are compiled with FREESTANDING_COPTS (see cc_config.bzl). ld and objcopy are the pinned
binutils from @gojos_i686 (i686.bzl), run with their own loader and libraries, all
declared inputs.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain", "use_cpp_toolchain")
load("@rules_cc//cc/common:cc_common.bzl", "cc_common")

_PLATFORM = "//toolchain:i386_elf"

def _to_i386_impl(_settings, _attr):
    return {"//command_line_option:platforms": str(Label(_PLATFORM))}

_to_i386 = transition(
    implementation = _to_i386_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)

def _compile(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    features = cc_common.configure_features(ctx = ctx, cc_toolchain = cc_toolchain)
    _, outputs = cc_common.compile(
        name = ctx.label.name,
        actions = ctx.actions,
        feature_configuration = features,
        cc_toolchain = cc_toolchain,
        srcs = ctx.files.srcs,
        private_hdrs = ctx.files.hdrs,
        quote_includes = [ctx.label.package] + [
            "%s/%s" % (ctx.bin_dir.path, ctx.label.package),
        ],
        user_compile_flags = ctx.attr.copts,
        local_defines = ctx.attr.defines,
    )
    return cc_toolchain, outputs.objects

# Linker flags common to every link: 32-bit ELF, no build ID and no dates (reproducible).
_LDFLAGS = ["-m", "elf_i386", "--build-id=none", "-nostdlib"]

def _flat_binary_impl(ctx):
    _, objs = _compile(ctx)
    elf = ctx.actions.declare_file(ctx.label.name + ".elf")
    out = ctx.actions.declare_file(ctx.label.name + ".bin")
    ctx.actions.run(
        executable = ctx.executable._ld,
        arguments = _LDFLAGS + ["-T", ctx.file.linker_script.path, "-o", elf.path] +
                    [o.path for o in objs],
        inputs = depset(objs + [ctx.file.linker_script], transitive = [ctx.attr._ld_files.files]),
        outputs = [elf],
        mnemonic = "I386Link",
        progress_message = "Linking %{label}",
    )
    ctx.actions.run(
        executable = ctx.executable._objcopy,
        arguments = ["-O", "binary", elf.path, out.path],
        inputs = depset([elf], transitive = [ctx.attr._objcopy_files.files]),
        outputs = [out],
        mnemonic = "I386Objcopy",
        progress_message = "Flattening %{label}",
    )
    return [
        DefaultInfo(files = depset([out])),
        OutputGroupInfo(elf = depset([elf])),
    ]

def _module_impl(ctx):
    _, objs = _compile(ctx)
    name = ctx.attr.out or (ctx.label.name + ".ko")
    unsigned = ctx.actions.declare_file("unsigned/" + name)
    out = ctx.actions.declare_file(name)
    ctx.actions.run(
        executable = ctx.executable._ld,
        arguments = _LDFLAGS + ["-r", "-o", unsigned.path] + [o.path for o in objs],
        inputs = depset(objs, transitive = [ctx.attr._ld_files.files]),
        outputs = [unsigned],
        mnemonic = "I386ModuleLink",
        progress_message = "Linking module %{label}",
    )

    return sign_module(ctx, unsigned, out)

def sign_module(ctx, unsigned, out):
    """Signs the module `unsigned` into `out`; returns the rule's providers.

    The signature the kernel checks (kern/modsign): Ed25519 with the build's
    signing key, appended to the ELF with a trailer. Deterministic. The rule
    needs the attributes `_modsign` and `_signing_key` (MODSIGN_ATTRS).
    """
    ctx.actions.run(
        executable = ctx.executable._modsign,
        arguments = ["sign", "-key", ctx.file._signing_key.path, "-o", out.path, unsigned.path],
        inputs = [unsigned, ctx.file._signing_key],
        outputs = [out],
        mnemonic = "GojosModuleSign",
        progress_message = "Signing module %{label}",
    )
    return [
        DefaultInfo(files = depset([out])),
        OutputGroupInfo(unsigned = depset([unsigned])),
    ]

# The attributes sign_module needs.
MODSIGN_ATTRS = {
    "_modsign": attr.label(default = "//tools/modsign", executable = True, cfg = "exec"),
    "_signing_key": attr.label(default = "//modules/keys:signing_key", allow_single_file = True),
}

_COMMON_ATTRS = {
    "srcs": attr.label_list(allow_files = [".c", ".S", ".s"], mandatory = True),
    "hdrs": attr.label_list(allow_files = [".h"]),
    "copts": attr.string_list(doc = "Extra compiler flags after the freestanding set."),
    "defines": attr.string_list(),
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
    "_ld": attr.label(default = "@gojos_i686//:bin/ld", allow_single_file = True, executable = True, cfg = "exec"),
    "_ld_files": attr.label(default = "@gojos_i686//:ld_files", cfg = "exec"),
    "_objcopy": attr.label(default = "@gojos_i686//:bin/objcopy", allow_single_file = True, executable = True, cfg = "exec"),
    "_objcopy_files": attr.label(default = "@gojos_i686//:objcopy_files", cfg = "exec"),
}

i386_flat_binary = rule(
    implementation = _flat_binary_impl,
    doc = "Freestanding i386 code linked with a linker script, flattened to NAME.bin (NAME.elf in output group 'elf').",
    cfg = _to_i386,
    attrs = dict(_COMMON_ATTRS, linker_script = attr.label(allow_single_file = True, mandatory = True)),
    toolchains = use_cpp_toolchain(),
    fragments = ["cpp"],
)

i386_module = rule(
    implementation = _module_impl,
    doc = "A loadable gojos module: freestanding i386 objects combined by `ld -r` into an ELF32 relocatable .ko, signed (kern/modsign).",
    cfg = _to_i386,
    attrs = dict(
        _COMMON_ATTRS | MODSIGN_ATTRS,
        out = attr.string(doc = "Output file name (default NAME.ko)."),
    ),
    toolchains = use_cpp_toolchain(),
    fragments = ["cpp"],
)
