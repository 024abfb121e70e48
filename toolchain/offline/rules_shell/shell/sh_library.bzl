"""Offline stand-in: forwards sh_library to the native rule."""

sh_library = native.sh_library
