"""Sending a conductor call again when its answer does not come in time.

A conductor that dies (a restart, a crash) loses the calls it had taken:
oslo.messaging acknowledges a message before it runs it, so no other
conductor gets it, and its caller would wait rpc_response_timeout and fail
(a resize in ERROR, a 503 at the API).  A call that is safe to repeat
(nova.conductor.rpcapi.CALLS) is sent again after a short wait instead.
"""

import time

import oslo_messaging as messaging
from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)


def timeouts(first, retries, last):
    """Each attempt's timeout: first, doubling, and the last attempt's the
    whole timeout (last), so an answer that is merely slow still comes."""
    return [min(first * 2 ** n, last) for n in range(retries)] + [last]


def call(client, ctxt, method, attempts, applied=None, **kwargs):
    """client.call(ctxt, method, **kwargs), once per timeout of attempts
    until one is answered.

    applied (a compare-and-swap's): a function that returns the instance
    when it is already as the call asks, else None.  The lost attempt may
    have run: it is asked before the call is sent again (a second run
    would be refused, and leave a second event_start behind), and after a
    later attempt is refused (UnexpectedTaskStateError: by the lost
    attempt's write, which then is the answer, or by another request's).
    """
    for attempt, timeout in enumerate(attempts, 1):
        start = time.monotonic()
        try:
            return client.prepare(timeout=timeout).call(ctxt, method,
                                                        **kwargs)
        except messaging.MessagingTimeout:
            if attempt == len(attempts):
                raise
            LOG.warning('No answer from nova-conductor to %s in %.1fs (it '
                        'may have restarted); sending it again, attempt %d '
                        'of %d', method, time.monotonic() - start,
                        attempt + 1, len(attempts))
            instance = applied() if applied else None
        except exception.UnexpectedTaskStateError:
            if applied is None or attempt == 1:
                raise
            instance = applied()
            if instance is None:
                raise
        if instance is not None:
            LOG.info('nova-conductor ran %s of instance %s before it '
                     'stopped answering', method, instance.get('uuid'))
            return instance


def applied(get, state):
    """A check for call(): get() the instance, is it as state ({column:
    value}, what the compare-and-swap sets) says?  Without state (a call
    that sets none of the state columns) nothing tells: None."""
    def check():
        if not state:
            return None
        try:
            instance = get()
        except exception.InstanceNotFound:
            return None
        if all(instance.get(k) == v for k, v in state.items()):
            return instance
        return None
    return check
