"""Offline stand-in: package_metadata as a rule that records nothing."""

def _impl(_ctx):
    return []

_package_metadata = rule(
    implementation = _impl,
    attrs = {
        "attributes": attr.label_list(),
        "purl": attr.string(),
    },
)

def package_metadata(name, **kwargs):
    # applicable_licenses = [] avoids a cycle with the package's default metadata.
    _package_metadata(name = name, applicable_licenses = [], **kwargs)
