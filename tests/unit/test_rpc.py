import datetime

from oslo_context import context as oslo_context

from nova import context
from nova import rpc


def test_payload_datetimes_round_trip():
    serializer = rpc.RequestContextSerializer()
    when = datetime.datetime(2026, 11, 22, 4, 5, 6, 789)
    payload = {'a': [when, {'b': when}], 'c': 'text', 'd': (1, 2)}
    wire = serializer.serialize_entity(None, payload)
    assert wire['a'][0] == {'__datetime__': '2026-11-22T04:05:06.000789'}
    assert serializer.deserialize_entity(
        None, serializer.serialize_entity(None, when.replace(
            microsecond=0))) == when.replace(microsecond=0)
    assert serializer.deserialize_entity(None, wire) == {
        'a': [when, {'b': when}], 'c': 'text', 'd': [1, 2]}


def test_context_is_rebuilt_and_bound_on_the_receiving_side():
    serializer = rpc.RequestContextSerializer()
    sent = context.RequestContext(user_id='u1', project_id='p1',
                                  roles=['member'],
                                  global_request_id='req-global',
                                  overwrite=False)
    wire = serializer.serialize_context(sent)
    received = serializer.deserialize_context(wire)
    assert received.request_id == sent.request_id
    assert received.global_request_id == 'req-global'
    assert (received.user_id, received.project_id) == ('u1', 'p1')
    assert received.is_admin is False
    # oslo.log reads the thread's current context when formatting a line.
    assert oslo_context.get_current() is received
