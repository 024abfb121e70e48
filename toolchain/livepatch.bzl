"""gojos_livepatch: a livepatch module built and checked against the exact kernel.

    gojos_livepatch(
        name = "lpfix",
        srcs = ["lpfix.c"],
        patches = {"utsRelease": "release_fix", "kdemo.Nap": "nap_fix"},
        replace = False,      # True: atomic replace of every earlier livepatch module
        force = [],           # targets inlined somewhere, patched anyway
    )

compiles the C sources into a module object (i386_module), then runs
//tools/mklivepatch, which checks every patch against //kern:kernel and its
function table with the kernel's own code (kern/kpatch/livepatch): the target
exists and is patchable, the replacement is a global function of the module
whose KPATCH_PROTO prototype maps onto the target's Go signature, and the
target is not inlined unless listed in `force`. A bad patch fails the build
with a message naming the rule and the function. The object then gets the patch
table (section .gojos.livepatch: targets, signature hashes, replacements, flags
and the kernel's build id) and is signed like every module: NAME.ko.
"""

load(":freestanding.bzl", "MODSIGN_ATTRS", "i386_module", "sign_module")

def _livepatch_ko_impl(ctx):
    obj = ctx.file.obj
    patched = ctx.actions.declare_file("unsigned/" + ctx.label.name + ".ko")
    out = ctx.actions.declare_file(ctx.label.name + ".ko")
    args = ctx.actions.args()
    args.add("-rule", str(ctx.label))
    args.add("-functab", ctx.file.functab)
    args.add("-kernel", ctx.file.kernel)
    args.add("-obj", obj)
    args.add("-out", patched)
    if ctx.attr.replace:
        args.add("-replace")
    if ctx.attr.build_id:
        args.add("-build-id", ctx.attr.build_id)
    for target, repl in ctx.attr.patches.items():
        args.add("-patch", "%s=%s" % (target, repl))
    for target in ctx.attr.force:
        args.add("-force", target)
    ctx.actions.run(
        executable = ctx.executable._mklivepatch,
        arguments = [args],
        inputs = [obj, ctx.file.functab, ctx.file.kernel],
        outputs = [patched],
        mnemonic = "GojosLivepatch",
        progress_message = "Checking livepatch %{label} against the kernel",
    )
    return sign_module(ctx, patched, out)

_livepatch_ko = rule(
    implementation = _livepatch_ko_impl,
    doc = "The patch table step of gojos_livepatch: check, add the table, sign.",
    attrs = {
        "obj": attr.label(allow_single_file = True, mandatory = True),
        "patches": attr.string_dict(mandatory = True),
        "replace": attr.bool(),
        "force": attr.string_list(),
        "build_id": attr.string(doc = "for tests only: record this build id (64 hex digits) instead of the kernel's"),
        "kernel": attr.label(allow_single_file = True, default = "//kern:kernel"),
        "functab": attr.label(allow_single_file = True, default = "//kern:functab"),
        "_mklivepatch": attr.label(default = "//tools/mklivepatch", executable = True, cfg = "exec"),
    } | MODSIGN_ATTRS,
)

def gojos_livepatch(name, srcs, patches, replace = False, force = [], hdrs = [], copts = [], defines = [], build_id = "", visibility = None, **kwargs):
    """A livepatch module NAME.ko (see the file's doc).

    Args:
      name: the target; the module file is NAME.ko (its MODULE_NAME is the C code's).
      srcs: C (and assembly) sources.
      patches: {"kernel function": "C replacement"}.
      replace: atomic replace of every earlier livepatch module.
      force: targets the compiler inlined somewhere, patched anyway.
      hdrs: extra headers (gojos/module.h is always available).
      copts: extra compiler flags.
      defines: preprocessor definitions.
      build_id: for tests only: record this build id (64 hex digits) instead
        of the kernel's, making a module for another kernel.
      visibility: of the .ko.
      **kwargs: testonly, tags.
    """
    i386_module(
        name = name + "_obj",
        srcs = srcs,
        hdrs = hdrs + ["//modules/include:headers"],
        copts = copts + ["-Imodules/include"],
        defines = defines,
        out = name + "_obj.o",
        visibility = ["//visibility:private"],
        **kwargs
    )
    native.filegroup(
        name = name + "_unsigned_obj",
        srcs = [":" + name + "_obj"],
        output_group = "unsigned",
        visibility = ["//visibility:private"],
        **kwargs
    )
    _livepatch_ko(
        name = name,
        obj = ":" + name + "_unsigned_obj",
        patches = patches,
        replace = replace,
        force = force,
        build_id = build_id,
        visibility = visibility,
        **kwargs
    )
