"""The one place where exceptions become Placement's error responses.

Placement's error body is the API-WG one: ``{"errors": [{"status",
"title", "detail", "request_id"}]}``; osc-placement shows the last line of
``detail``.  A 406 for a version out of range also names min_version and
max_version: osc-placement retries with the max_version it reads there.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
import webob
import webob.dec
from webob import exc as webob_exc

from nova.api.placement import microversion
from nova.api import wsgi
from nova import exception

LOG = logging.getLogger(__name__)

UNEXPECTED_MESSAGE = 'Placement API unexpected error: %s'
SERVICE_UNAVAILABLE_MESSAGE = (
    'An internal service did not answer in time (it may be down or '
    'overloaded); please try again later.')


def error_response(environ, status, detail, headers=None):
    title = webob_exc.status_map[status].title \
        if status in webob_exc.status_map else 'Error'
    error = {'status': status, 'title': title, 'detail': detail}
    request_id = environ.get('openstack.request_id')
    if request_id:
        error['request_id'] = request_id
    if status == 406 and microversion.ENVIRON not in environ:
        error['min_version'] = microversion.to_string(
            microversion.MIN_VERSION)
        error['max_version'] = microversion.to_string(
            microversion.MAX_VERSION)
    response = wsgi.json_response({'errors': [error]}, status=status,
                                  headers=headers)
    return response


def exception_response(environ, exc):
    if isinstance(exc, exception.NovaException):
        code = exc.kwargs.get('code', exc.code)
        if code < 500 or exc.safe:
            return error_response(environ, code, exc.format_message(),
                                  getattr(exc, 'headers', None))
    if isinstance(exc, (messaging.MessagingTimeout,
                        messaging.MessageDeliveryFailure,
                        messaging.MessageUndeliverable)):
        LOG.error('Internal service unavailable: %s: %s',
                  type(exc).__name__,
                  getattr(exc, 'routing_key', None) or exc)
        return error_response(environ, 503, SERVICE_UNAVAILABLE_MESSAGE)
    LOG.exception('Placement API unexpected error')
    return error_response(environ, 500,
                          UNEXPECTED_MESSAGE % type(exc).__name__)


class AuthErrors:
    """The shared auth middleware (nova/api/auth.py) answers a refused
    token in the Compute API's fault shape; Placement's clients read
    ``{"errors": [...]}``, so those answers are rewritten here, keeping
    their status, message and WWW-Authenticate."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        response = req.get_response(self.application)
        if response.status_int < 400 or 'nova.context' in req.environ:
            return response
        try:
            body = response.json_body
            detail = next(iter(body.values()))['message']
        except (ValueError, TypeError, KeyError, AttributeError,
                StopIteration):
            detail = response.status
        headers = {}
        if 'WWW-Authenticate' in response.headers:
            headers['WWW-Authenticate'] = response.headers['WWW-Authenticate']
        return error_response(req.environ, response.status_int, detail,
                              headers)
