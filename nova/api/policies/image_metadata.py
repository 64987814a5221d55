"""Image metadata (the deprecated /images/{id}/metadata proxy): as for
/images, upstream checks no policy of its own; the Image API decides who
may read and change the image.  No rules."""


def list_rules():
    return []
