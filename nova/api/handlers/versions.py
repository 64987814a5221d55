"""Version documents: how clients discover the microversion range."""

from nova.api import microversion
from nova.api import wsgi

UPDATED = '2013-07-23T11:33:21Z'
V2_0_UPDATED = '2011-01-21T11:33:21Z'
MEDIA_TYPES = [{'base': 'application/json',
                'type': 'application/vnd.openstack.compute+json;version=2.1'}]


def _v21(req, links):
    return {'id': 'v2.1', 'status': 'CURRENT',
            'version': microversion.fmt(microversion.MAX_VERSION),
            'min_version': microversion.fmt(microversion.MIN_VERSION),
            'updated': UPDATED, 'links': links}


def _root(req):
    return req.host_url + req.script_name


def _v20(req):
    """Upstream lists the legacy v2.0 API first (SUPPORTED, no
    microversions).  This API serves v2.1 only: /v2/ answers the version
    document, anything under it the multiple choices pointing at v2.1."""
    return {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '',
            'min_version': '', 'updated': V2_0_UPDATED,
            'links': [{'rel': 'self', 'href': _root(req) + '/v2/'}]}


def list_versions(req):
    links = [{'rel': 'self', 'href': _root(req) + '/v2.1/'}]
    return wsgi.json_response({'versions': [_v20(req), _v21(req, links)]})


def show_version(req):
    links = [{'rel': 'self', 'href': _root(req) + '/v2.1/'},
             {'rel': 'describedby', 'type': 'text/html',
              'href': 'http://docs.openstack.org/'}]
    version = _v21(req, links)
    version['media-types'] = MEDIA_TYPES
    return wsgi.json_response({'version': version})


def show_v20_version(req):
    version = _v20(req)
    version['links'].append({'rel': 'describedby', 'type': 'text/html',
                             'href': 'http://docs.openstack.org/'})
    version['media-types'] = [
        {'base': 'application/json',
         'type': 'application/vnd.openstack.compute+json;version=2'}]
    return wsgi.json_response({'version': version})


def multiple_choices(req):
    """Unknown paths outside /v2.1 point at the API, as upstream does."""
    choice = {'id': 'v2.1', 'status': 'CURRENT', 'media-types': MEDIA_TYPES,
              'links': [{'rel': 'self',
                         'href': _root(req) + '/v2.1' + req.path_info}]}
    return wsgi.json_response({'choices': [choice]}, status=300)
