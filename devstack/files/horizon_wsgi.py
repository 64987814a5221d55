"""Horizon's WSGI application with its collected static files in front.

gunicorn serves no files and Django serves none with DEBUG off, so
GET/HEAD under /static/ is answered here from HORIZON_STATIC_ROOT (what
``collectstatic`` and ``compress`` made); everything else goes to Django.
The compressed bundles' names carry their content's hash, so they may be
cached for long.
"""

import mimetypes
import os

from openstack_dashboard import wsgi

STATIC_ROOT = os.path.realpath(os.environ['HORIZON_STATIC_ROOT'])
STATIC_PREFIX = '/static/'
_django = wsgi.application


def _static(environ, start_response):
    relative = environ['PATH_INFO'][len(STATIC_PREFIX):]
    path = os.path.realpath(os.path.join(STATIC_ROOT, relative))
    # realpath resolves '..': a path that leaves the root is not served.
    if (not path.startswith(STATIC_ROOT + os.sep)
            or not os.path.isfile(path)):
        start_response('404 Not Found', [('Content-Type', 'text/plain')])
        return [b'Not found\n']
    content_type = mimetypes.guess_type(path)[0] or 'application/octet-stream'
    headers = [('Content-Type', content_type),
               ('Content-Length', str(os.path.getsize(path))),
               ('Cache-Control', 'public, max-age=86400')]
    start_response('200 OK', headers)
    if environ['REQUEST_METHOD'] == 'HEAD':
        return [b'']
    wrapper = environ.get('wsgi.file_wrapper')
    handle = open(path, 'rb')
    if wrapper:
        return wrapper(handle, 65536)
    with handle:
        return [handle.read()]


def application(environ, start_response):
    if (environ.get('PATH_INFO', '').startswith(STATIC_PREFIX)
            and environ['REQUEST_METHOD'] in ('GET', 'HEAD')):
        return _static(environ, start_response)
    return _django(environ, start_response)
