"""GET /: the version document (no token needed, as upstream)."""

from nova.api.placement import microversion
from nova.api import wsgi


def home(req):
    return wsgi.json_response({'versions': [{
        'id': 'v%s' % microversion.to_string(microversion.MIN_VERSION),
        'min_version': microversion.to_string(microversion.MIN_VERSION),
        'max_version': microversion.to_string(microversion.MAX_VERSION),
        # Only one version ever, so it is the current one.
        'status': 'CURRENT',
        # Relative, as upstream: this same URL is the version's root.
        'links': [{'rel': 'self', 'href': ''}],
    }]})
