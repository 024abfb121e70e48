"""kofuzz_mutants: a directory of deterministic mutants of a module, for a fuzzing
campaign of the kernel's module loader (tools/kofuzz; docs/testing.md).

Every mutant is signed with the build's module-signing key after mutating, so
that the kernel's signature check passes and its loader's checks are tested.

The output is a directory (NNNN.ko and MANIFEST) that gojos_initrd's `trees`
puts into an initrd, e.g. at lib/modules/fuzz; kofuzz_image makes such an image.
"""

load(":image.bzl", "gojos_image", "gojos_initrd")

def _mutants_impl(ctx):
    out = ctx.actions.declare_directory(ctx.label.name)
    args = ctx.actions.args()
    args.add("-o", out.path)
    args.add("-n", str(ctx.attr.count))
    args.add("-seed", str(ctx.attr.seed))
    if ctx.attr.no_text:
        args.add("-no-text")
    if ctx.attr.safe:
        args.add("-safe")

    # Signed with the build's key after mutating: the kernel's signature check
    # passes and its loader's checks are what the campaign exercises.
    args.add("-key", ctx.file._signing_key)
    args.add(ctx.file.src)
    ctx.actions.run(
        executable = ctx.executable._kofuzz,
        arguments = [args],
        inputs = [ctx.file.src, ctx.file._signing_key],
        outputs = [out],
        mnemonic = "GojosKofuzz",
        progress_message = "Writing %d mutants of %s (seed %d)" % (ctx.attr.count, ctx.file.src.short_path, ctx.attr.seed),
    )
    return [DefaultInfo(files = depset([out]))]

kofuzz_mutants = rule(
    implementation = _mutants_impl,
    doc = "COUNT mutants of the module SRC from SEED, as a directory (tools/kofuzz).",
    attrs = {
        "src": attr.label(allow_single_file = [".ko"], mandatory = True, doc = "the valid module"),
        "count": attr.int(default = 1000),
        "seed": attr.int(default = 1),
        "no_text": attr.bool(doc = "no mutant changes bytes of the module's code (kofuzz -no-text)"),
        "safe": attr.bool(doc = "only mutants that are refused or load exactly like SRC (kofuzz -safe)"),
        "_kofuzz": attr.label(default = "//tools/kofuzz", executable = True, cfg = "exec"),
        "_signing_key": attr.label(default = "//modules/keys:signing_key", allow_single_file = True),
    },
)

def kofuzz_image(name, count, seed, no_text = False, safe = False, **kwargs):
    """An image whose initrd is //:initrd plus kofuzz's mutants at /lib/modules/fuzz.

    Defines NAME_mutants (the directory), NAME_initrd and NAME (the image).
    """
    kofuzz_mutants(
        name = name + "_mutants",
        src = "//modules/test",
        count = count,
        seed = seed,
        no_text = no_text,
        safe = safe,
    )
    gojos_initrd(
        name = name + "_initrd",
        base = "//:initrd",
        trees = {":" + name + "_mutants": "lib/modules/fuzz"},
    )
    gojos_image(
        name = name,
        out = name + ".img",
        boot = "//boot:loader",
        cmdline = "",
        initrd = ":" + name + "_initrd",
        kernel = "//kern:kernel",
        **kwargs
    )
