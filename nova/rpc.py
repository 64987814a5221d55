"""oslo.messaging plumbing shared by every service.

The context of the caller is serialized into every message and rebuilt on
the server side, where it becomes the worker thread's current context, so the
callee's log lines carry the caller's request id.  Datetimes in payloads are
tagged so they come back as datetimes.
"""

import datetime

import oslo_messaging as messaging
from oslo_utils import timeutils

from nova import context as nova_context

ALLOWED_EXMODS = ['nova.exception']
CONTROL_EXCHANGE = 'nova'
_DT_KEY = '__datetime__'

TRANSPORT = None

messaging.set_transport_defaults(control_exchange=CONTROL_EXCHANGE)


def init(conf, url=None):
    """Create the process's RPC transport.

    url overrides [DEFAULT] transport_url (the functional tests use fake:/).
    """
    global TRANSPORT
    if TRANSPORT is None:
        TRANSPORT = messaging.get_rpc_transport(
            conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS)
    return TRANSPORT


def cleanup():
    global TRANSPORT
    if TRANSPORT is not None:
        TRANSPORT.cleanup()
        TRANSPORT = None


# Payloads are mostly scalars (instance dicts, lists of them): those are
# passed over without a call, and exact types are tested before isinstance.
_SCALARS = frozenset((str, int, float, bool, type(None)))


def _to_primitive(value):
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict or (kind is not datetime.datetime and
                        isinstance(value, dict)):
        return {k: v if type(v) in _SCALARS else _to_primitive(v)
                for k, v in value.items()}
    if kind is list or kind is tuple or isinstance(value, (list, tuple,
                                                           set)):
        return [v if type(v) in _SCALARS else _to_primitive(v)
                for v in value]
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = timeutils.normalize_time(value)
        return {_DT_KEY: value.isoformat()}
    return value


def _from_primitive(value):
    kind = type(value)
    if kind is dict or (kind not in _SCALARS and isinstance(value, dict)):
        if _DT_KEY in value and len(value) == 1:
            return datetime.datetime.fromisoformat(value[_DT_KEY])
        return {k: v if type(v) in _SCALARS else _from_primitive(v)
                for k, v in value.items()}
    if kind is list or (kind not in _SCALARS and isinstance(value, list)):
        return [v if type(v) in _SCALARS else _from_primitive(v)
                for v in value]
    return value


class RequestContextSerializer(messaging.Serializer):

    def serialize_entity(self, ctxt, entity):
        return _to_primitive(entity)

    def deserialize_entity(self, ctxt, entity):
        return _from_primitive(entity)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        # from_dict binds the rebuilt context to the current (worker) thread.
        return nova_context.RequestContext.from_dict(ctxt)


# The mandatory flag on every message sent to a topic: a message no queue
# takes (its service never started in this virtual host, or the broker lost
# a non-durable queue) fails at once with MessageUndeliverable, a 503 at the
# API, instead of vanishing (a cast) or timing out (a call).  Replies have
# theirs from [oslo_messaging_rabbit] direct_mandatory_flag.
MANDATORY = messaging.TransportOptions(at_least_once=True)


def get_client(topic, version, version_cap=None, server=None, timeout=None):
    target = messaging.Target(topic=topic, version=version, server=server)
    return messaging.get_rpc_client(
        TRANSPORT, target, version_cap=version_cap, timeout=timeout,
        serializer=RequestContextSerializer(), transport_options=MANDATORY)


def get_server(topic, server, version, endpoints):
    target = messaging.Target(topic=topic, server=server, version=version)
    # oslo.messaging's default executor is a native thread pool.
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints, serializer=RequestContextSerializer())
