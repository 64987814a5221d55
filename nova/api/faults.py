"""The one place where exceptions become HTTP responses.

Nova's fault body is ``{"<name>": {"code": N, "message": "..."}}``; the name
depends on the code only.  A NovaException shows its own message; anything
else is a bug, logged with its traceback and answered with a generic 500.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
import webob
import webob.dec

from nova.api import wsgi
from nova import exception

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

UNEXPECTED_MESSAGE = ('Unexpected API Error. Please report this at '
                      'http://bugs.launchpad.net/nova/ and attach the Nova '
                      'API log if possible.\n%s')


SERVICE_UNAVAILABLE_MESSAGE = (
    'An internal service did not answer in time (it may be down or '
    'overloaded); please try again later.')


def fault_response(code, message, headers=None):
    name = FAULT_NAMES.get(code, 'computeFault')
    response = webob.Response(status=code, charset='UTF-8',
                              content_type='application/json')
    response.body = wsgi.dump_json(
        {name: {'code': code, 'message': message}})
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if code == 401:
        response.headers['WWW-Authenticate'] = 'Token'
    return response


def exception_response(exc):
    """Response for an exception raised while handling a request."""
    if isinstance(exc, exception.NovaException):
        code = exc.kwargs.get('code', exc.code)
        if code < 500 or exc.safe:
            return fault_response(code, exc.format_message(),
                                  getattr(exc, 'headers', None))
    if isinstance(exc, (messaging.MessagingTimeout,
                        messaging.MessageDeliveryFailure,
                        messaging.MessageUndeliverable)):
        # A service or the message broker is down or overloaded, or no
        # queue took the message (its service never ran): the request may
        # well succeed later, and the client should know so.
        LOG.error('Internal service unavailable: %s: %s',
                  type(exc).__name__,
                  getattr(exc, 'routing_key', None) or exc)
        return fault_response(503, SERVICE_UNAVAILABLE_MESSAGE)
    LOG.exception('Unexpected error while handling the request')
    return fault_response(500, UNEXPECTED_MESSAGE % type(exc))


class FaultWrapper:
    """Last-resort trap: no traceback ever reaches a client.

    respond(req, exc) makes the answer (an API with other error bodies,
    as Placement's, gives its own); the Compute API's fault by default.
    """

    def __init__(self, application, respond=None):
        self.application = application
        self.respond = respond or (lambda req, exc: exception_response(exc))

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as exc:
            return self.respond(req, exc)
