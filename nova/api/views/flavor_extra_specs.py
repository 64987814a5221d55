"""Representations of a flavor's extra specs: all of them, or one."""

# Extra specs of known namespaces are validated (nova.api.extra_specs).
VALIDATION = (2, 86)


def collection(extra_specs):
    return {'extra_specs': dict(extra_specs or {})}


def item(key, value):
    return {key: value}
