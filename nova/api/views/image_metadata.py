"""Bodies of /images/{image_id}/metadata: an image's properties."""


def collection(properties):
    return {'metadata': dict(properties)}


def item(key, value):
    return {'meta': {key: value}}
