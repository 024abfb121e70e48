#!/bin/sh
# Boots the gojos disk image in QEMU and runs a console script against the
# serial port with consoletest (docs/testing.md). The BUILD rule passes:
#
#   boot_test.sh CONSOLETEST IMAGE SCRIPT [consoletest flags...]
#
# e.g. args = ["$(rootpath //tools/console/cmd/consoletest)",
#              "$(rootpath //:image)", "$(rootpath boot.script)"].
# Set QEMU to use another emulator binary. consoletest prints the failing
# step and the whole transcript on failure and kills QEMU on every path,
# including the SIGTERM that Bazel sends when the test times out.
set -eu

if [ $# -lt 3 ]; then
	echo "usage: $0 CONSOLETEST IMAGE SCRIPT [consoletest flags...]" >&2
	exit 2
fi
consoletest=$1
image=$2
script=$3
shift 3

# exec keeps the PID, so the SIGTERM Bazel sends on a test timeout reaches
# consoletest directly and it can print the transcript before dying.
exec "$consoletest" --qemu "${QEMU:-qemu-system-i386}" --image "$image" "$@" "$script"
