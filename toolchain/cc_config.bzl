"""cc_toolchain_config for freestanding i386 ELF code (boot/ and modules/).

The compiler is Debian's i686-linux-gnu-gcc (version pinned in versions.env and checked by
extensions.bzl), used freestanding: no libc, no PIC, no stack protector, no unwind
tables. Its only builtin include directory is gcc's own (stddef.h, stdint.h, stdarg.h…),
so `#include <stdio.h>` fails, as it should for kernel-side code.
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

_PREFIX = "/usr/bin/i686-linux-gnu-"

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
    include = ctx.attr.gcc_include_dir
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
                    flags = ["-MD", "-MF", "%{dependency_file}"],
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
        action_config(action_name = name, tools = [tool(path = _PREFIX + "gcc")])
        for name in _COMPILE_ACTIONS
    ]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = features,
        action_configs = action_configs,
        cxx_builtin_include_directories = [include],
        toolchain_identifier = "gojos-i386-elf",
        host_system_name = "x86_64-linux-gnu",
        target_system_name = "i386-none-elf",
        target_cpu = "x86_32",
        target_libc = "none",
        compiler = "gcc",
        abi_version = "none",
        abi_libc_version = "none",
        tool_paths = [
            tool_path(name = "gcc", path = _PREFIX + "gcc"),
            tool_path(name = "cpp", path = _PREFIX + "cpp"),
            tool_path(name = "ld", path = _PREFIX + "ld"),
            tool_path(name = "ar", path = _PREFIX + "ar"),
            tool_path(name = "nm", path = _PREFIX + "nm"),
            tool_path(name = "objcopy", path = _PREFIX + "objcopy"),
            tool_path(name = "objdump", path = _PREFIX + "objdump"),
            tool_path(name = "strip", path = _PREFIX + "strip"),
            tool_path(name = "gcov", path = "/bin/false"),
        ],
    )

i386_elf_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {"gcc_include_dir": attr.string(mandatory = True)},
    provides = [CcToolchainConfigInfo],
)
