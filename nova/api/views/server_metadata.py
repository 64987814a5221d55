"""Representations of a server's metadata: all of it, or one item."""


def collection(metadata):
    return {'metadata': dict(metadata or {})}


def item(key, value):
    return {'meta': {key: value}}
