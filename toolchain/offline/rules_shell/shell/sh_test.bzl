"""Offline stand-in: forwards sh_test to the native rule."""

sh_test = native.sh_test
