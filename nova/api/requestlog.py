"""One INFO line per request, in Nova's format, with its request id."""

import time
import urllib.parse

from oslo_log import log as logging
import webob.dec

from nova import context as nova_context

LOG = logging.getLogger(__name__)


class RequestLog:

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        start = time.monotonic()
        # Bind a context with this request's ids before anything logs, so a
        # worker thread never reuses the previous request's context.
        nova_context.RequestContext(
            request_id=req.environ.get('openstack.request_id'),
            global_request_id=req.environ.get('openstack.global_request_id'),
            remote_address=req.remote_addr, overwrite=True)
        uri = _uri(req.environ)
        LOG.debug('Starting request: %s "%s %s"', req.remote_addr,
                  req.method, uri)
        response = req.get_response(self.application)
        version = req.environ.get('nova.api_version')
        LOG.info('%(remote)s "%(method)s %(uri)s" status: %(status)s len: '
                 '%(len)s microversion: %(mv)s time: %(time).6f',
                 {'remote': req.remote_addr, 'method': req.method,
                  'uri': uri, 'status': response.status_int,
                  'len': response.content_length or 0,
                  'mv': version or '-', 'time': time.monotonic() - start})
        return response


def _uri(environ):
    """The path and query as the client sent them: req.path_qs would
    decode a path that is not UTF-8 (RequestChecks refuses it, this line
    still tells which)."""
    path = urllib.parse.quote(
        (environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', ''))
        .encode('latin-1'), safe='/;=,~!$&\'()*+:@')
    query = environ.get('QUERY_STRING')
    return path + '?' + query if query else path
