"""cc_toolchain_config for freestanding i386 ELF code (boot/ and modules/).

The compiler is Debian's i686-linux-gnu-gcc (version pinned in versions.env and checked by
extensions.bzl), used freestanding: no libc, no PIC, no stack protector, no unwind
tables. Its only builtin include directory is gcc's own (stddef.h, stdint.h, stdarg.h…),
so `#include <stdio.h>` fails, as it should for kernel-side code.

The compiler runs from @gojos_i686 (i686.bzl), whose files are inputs of every compile:
no tool is named by an absolute host path (tool_paths are /bin/false, so anything that
would fall back on them fails instead of silently running a host tool).
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "action_config",
    "feature",
    "flag_group",
    "flag_set",
    "tool",
    "tool_path",
)
load("@rules_cc//cc/common:cc_common.bzl", "cc_common")

# The flags every freestanding i386 object in gojos is compiled with.
FREESTANDING_COPTS = [
    "-m32",
    "-march=i686",
    "-ffreestanding",
    "-fno-pic",
    "-fno-pie",
    "-fno-stack-protector",
    "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables",
    "-fno-builtin",
    "-fno-common",
    "-nostdinc",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Os",
    # Reproducible objects: no absolute paths or dates leak into the output.
    "-ffile-prefix-map=/proc/self/cwd=.",
    "-Wno-builtin-macro-redefined",
    "-D__DATE__=\"redacted\"",
    "-D__TIMESTAMP__=\"redacted\"",
    "-D__TIME__=\"redacted\"",
]

_COMPILE_ACTIONS = [
    ACTION_NAMES.c_compile,
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
]

def _impl(ctx):
    include = ctx.attr.include_dir
    features = [
        feature(
            name = "gojos_freestanding",
            enabled = True,
            flag_sets = [
                flag_set(
                    actions = _COMPILE_ACTIONS,
                    flag_groups = [flag_group(flags = FREESTANDING_COPTS + ["-isystem", include])],
                ),
                flag_set(
                    actions = [ACTION_NAMES.c_compile],
                    flag_groups = [flag_group(flags = ["-std=gnu11"])],
                ),
            ],
        ),
        feature(name = "no_legacy_features", enabled = True),
        feature(name = "supports_pic", enabled = False),
        feature(name = "dependency_file", enabled = True, flag_sets = [
            flag_set(
                actions = _COMPILE_ACTIONS,
                flag_groups = [flag_group(
                    expand_if_available = "dependency_file",
                    # gcc's headers are symlinks in @gojos_i686: name them as included,
                    # not by their resolved host paths, for Bazel's inclusion check.
                    flags = ["-MD", "-MF", "%{dependency_file}", "-fno-canonical-system-headers"],
                )],
            ),
        ]),
        feature(name = "compile_io", enabled = True, flag_sets = [
            flag_set(
                actions = _COMPILE_ACTIONS,
                flag_groups = [
                    flag_group(flags = ["-c", "%{source_file}"], expand_if_available = "source_file"),
                    flag_group(flags = ["-o", "%{output_file}"], expand_if_available = "output_file"),
                ],
            ),
        ]),
        feature(name = "includes", enabled = True, flag_sets = [
            flag_set(
                actions = _COMPILE_ACTIONS,
                flag_groups = [
                    flag_group(iterate_over = "include_paths", flags = ["-I%{include_paths}"]),
                    flag_group(iterate_over = "quote_include_paths", flags = ["-iquote", "%{quote_include_paths}"]),
                    flag_group(iterate_over = "system_include_paths", flags = ["-isystem", "%{system_include_paths}"]),
                ],
            ),
        ]),
        feature(name = "defines", enabled = True, flag_sets = [
            flag_set(
                actions = _COMPILE_ACTIONS,
                flag_groups = [flag_group(iterate_over = "preprocessor_defines", flags = ["-D%{preprocessor_defines}"])],
            ),
        ]),
        feature(name = "user_flags", enabled = True, flag_sets = [
            flag_set(
                actions = _COMPILE_ACTIONS,
                flag_groups = [flag_group(
                    expand_if_available = "user_compile_flags",
                    iterate_over = "user_compile_flags",
                    flags = ["%{user_compile_flags}"],
                )],
            ),
        ]),
    ]
    action_configs = [
        action_config(action_name = name, tools = [tool(tool = ctx.file.gcc)])
        for name in _COMPILE_ACTIONS
    ]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = features,
        action_configs = action_configs,
        cxx_builtin_include_directories = [ctx.attr.builtin_include_dir],
        toolchain_identifier = "gojos-i386-elf-gcc-" + ctx.attr.gcc_version,
        host_system_name = "x86_64-linux-gnu",
        target_system_name = "i386-none-elf",
        target_cpu = "x86_32",
        target_libc = "none",
        compiler = "gcc",
        abi_version = "none",
        abi_libc_version = "none",
        tool_paths = [
            tool_path(name = name, path = "/bin/false")
            for name in ["gcc", "cpp", "ld", "ar", "nm", "objcopy", "objdump", "strip", "gcov"]
        ],
    )

i386_elf_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {
        "gcc": attr.label(mandatory = True, allow_single_file = True, doc = "the gcc wrapper of @gojos_i686"),
        "gcc_version": attr.string(mandatory = True, doc = "checked gcc version (versions.env GCC_I686_VERSION)"),
        "include_dir": attr.string(mandatory = True, doc = "gcc's include directory, relative to the execution root"),
        "builtin_include_dir": attr.string(mandatory = True, doc = "the same as %package()% for the inclusion check"),
    },
    provides = [CcToolchainConfigInfo],
)
