"""Rules for the gojos initrd archive and the bootable disk image.

- gojos_initrd: a reproducible tar (fixed timestamps, owners and order) built by
  //tools/mkinitrd from {file label: path in the archive} (mode 0644), {program label:
  path} (0755), directory outputs ({label: directory in the archive}) and optionally
  another initrd to extend. Modes never depend on the input files' modes.
- gojos_image: the raw disk image (boot sector + stage 2 + image header + kernel ELF +
  initrd) built by //tools/mkimage. Boots with
  `qemu-system-i386 -drive file=jos.img,format=raw`. Layout: docs/boot.md.
"""

def _initrd_impl(ctx):
    out = ctx.actions.declare_file(ctx.attr.out or (ctx.label.name + ".tar"))
    args = ctx.actions.args()
    args.add("--out", out)
    inputs = []

    # Programs are 0755 in the archive, everything else 0644: decided here, not by the
    # input files' modes on whatever machine runs the action (a remote worker gets every
    # input as executable).
    for attr, flag in [(ctx.attr.files, "--file"), (ctx.attr.programs, "--exec")]:
        for target, dest in attr.items():
            files = target.files.to_list()
            if len(files) != 1:
                fail("%s: %s must be exactly one file, got %d" % (ctx.label, target.label, len(files)))
            args.add(flag, "%s=%s" % (dest, files[0].path))
            inputs.append(files[0])
    for dest, target in ctx.attr.links.items():
        args.add("--link", "%s=%s" % (dest, target))
    for target, dest in ctx.attr.trees.items():
        for f in target.files.to_list():
            if f.is_directory:
                args.add("--tree", "%s=%s" % (dest, f.path))
            else:
                args.add("--file", "%s/%s=%s" % (dest, f.basename, f.path))
            inputs.append(f)
    if ctx.file.base:
        args.add("--base", ctx.file.base)
        inputs.append(ctx.file.base)
    ctx.actions.run(
        executable = ctx.executable._mkinitrd,
        arguments = [args],
        inputs = inputs,
        outputs = [out],
        mnemonic = "GojosInitrd",
        progress_message = "Packing initrd %{output}",
    )
    return [DefaultInfo(files = depset([out]))]

gojos_initrd = rule(
    implementation = _initrd_impl,
    doc = "A reproducible initrd tar: each label in `files` goes to the archive path given.",
    attrs = {
        "files": attr.label_keyed_string_dict(allow_files = True, doc = "file label → path inside the archive (mode 0644)"),
        "programs": attr.label_keyed_string_dict(allow_files = True, doc = "program label → path inside the archive (mode 0755)"),
        "links": attr.string_dict(doc = "path inside the archive → symbolic link target"),
        "trees": attr.label_keyed_string_dict(
            allow_files = True,
            doc = "label → directory inside the archive: every file of the label (a directory output's whole tree) goes below it",
        ),
        "base": attr.label(allow_single_file = True, doc = "another initrd whose files and links this one starts from"),
        "out": attr.string(),
        "_mkinitrd": attr.label(default = "//tools/mkinitrd", executable = True, cfg = "exec"),
    },
)

def _image_impl(ctx):
    out = ctx.actions.declare_file(ctx.attr.out or (ctx.label.name + ".img"))
    args = ctx.actions.args()
    args.add("--boot", ctx.file.boot)
    args.add("--kernel", ctx.file.kernel)
    args.add("--initrd", ctx.file.initrd)
    args.add("--cmdline", ctx.attr.cmdline)
    args.add("--out", out)
    ctx.actions.run(
        executable = ctx.executable._mkimage,
        arguments = [args],
        inputs = [ctx.file.boot, ctx.file.kernel, ctx.file.initrd],
        outputs = [out],
        mnemonic = "GojosImage",
        progress_message = "Writing disk image %{output}",
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

gojos_image = rule(
    implementation = _image_impl,
    doc = "The bootable raw disk image.",
    attrs = {
        "boot": attr.label(allow_single_file = True, mandatory = True, doc = "boot loader flat binary (stage 1 + stage 2)"),
        "kernel": attr.label(allow_single_file = True, mandatory = True, doc = "kernel ELF"),
        "initrd": attr.label(allow_single_file = True, mandatory = True),
        "cmdline": attr.string(doc = "kernel command line"),
        "out": attr.string(),
        "_mkimage": attr.label(default = "//tools/mkimage", executable = True, cfg = "exec"),
    },
)
