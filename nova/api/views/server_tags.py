"""Representations of a server's tags (2.26, when the server views show
them too)."""

import urllib.parse

from nova.api.views import servers

TAGS = servers.TAGS


def collection(tags):
    return {'tags': list(tags or ())}


def location(req, server_id, tag):
    """The URL of one tag of the server (the Location of a tag added)."""
    return req.link('servers', server_id, 'tags', urllib.parse.quote(tag))
