"""One INFO line per request, in Nova's format, with its request id."""

import time

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
        LOG.debug('Starting request: %s "%s %s"', req.remote_addr,
                  req.method, req.path_qs)
        response = req.get_response(self.application)
        version = req.environ.get('nova.api_version')
        LOG.info('%(remote)s "%(method)s %(uri)s" status: %(status)s len: '
                 '%(len)s microversion: %(mv)s time: %(time).6f',
                 {'remote': req.remote_addr, 'method': req.method,
                  'uri': req.path_qs, 'status': response.status_int,
                  'len': response.content_length or 0,
                  'mv': version or '-', 'time': time.monotonic() - start})
        return response
