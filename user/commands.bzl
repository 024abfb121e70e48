"""The commands of the multi-call binary //user/cmd/gojos:gojos_386.

The initrd gets /bin/gojos and, for each name here, a link /bin/<name> → gojos.
Keep in step with the dispatch table in user/cmd/gojos/dispatch.go (its
TestCommandsBzl checks).
"""

GOJOS_COMMANDS = [
    "cat",
    "dmesg",
    "echo",
    "false",
    "fault",
    "free",
    "halt",
    "id",
    "init",
    "insmod",
    "kbench",
    "kcall",
    "kpatch",
    "kstress",
    "ksyms",
    "ls",
    "lsmod",
    "memhog",
    "modfuzz",
    "ps",
    "rmmod",
    "sh",
    "sleep",
    "su",
    "sysfuzz",
    "sysprobe",
    "true",
    "uname",
    "whoami",
]
