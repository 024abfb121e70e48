"""Offline stand-in: forwards sh_binary to the native rule."""

sh_binary = native.sh_binary
