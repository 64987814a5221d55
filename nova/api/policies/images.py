"""Images (the deprecated /images proxy): upstream checks no policy of
its own there; the Image API decides what the caller may see and delete.
No rules."""


def list_rules():
    return []
