"""The signature attacks //tools/badko writes (tools/badko/sigattacks.go): modules
the kernel refuses with EKEYREJECTED before its loader looks at them. The
initrd has each at /lib/modules/badsig/NAME.ko (//tests:security)."""

SIG_ATTACKS = [
    "appended",
    "cut",
    "data",
    "forged",
    "header",
    "keyid",
    "length",
    "magic",
    "resigned",
    "sig",
    "text",
    "truncsig",
    "unsigned",
    "wrongkey",
]

# Livepatch modules with broken patch tables (tools/badko/livepatch.go),
# refused before their code runs; the initrd has each at
# /lib/modules/livepatch/bad/NAME.ko (//tests:livepatch).
LIVEPATCH_BAD = [
    "lpflags",
    "lpmagic",
    "lprepl",
    "lpsighash",
    "lptrunc",
    "lpunknown",
]
