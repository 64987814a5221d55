"""The conductor client sends again what is safe to repeat."""

import inspect
import types

import oslo_messaging as messaging
from oslo_config import cfg
import pytest

import nova.conf
from nova.conductor import rpcapi
from nova import context
from nova import exception


def test_every_conductor_method_is_classified():
    methods = {name for name, _ in inspect.getmembers(
        rpcapi.ConductorAPI, inspect.isfunction) if not name.startswith('_')}
    assert set(rpcapi.CALLS) == methods
    assert set(rpcapi.CALLS.values()) <= {rpcapi.READ, rpcapi.IDEMPOTENT,
                                          rpcapi.CAS, rpcapi.ONCE,
                                          rpcapi.CAST}


def test_casts_are_the_methods_that_cast():
    casting = {name for name, func in inspect.getmembers(
        rpcapi.ConductorAPI, inspect.isfunction)
        if 'self._cast(' in inspect.getsource(func)}
    assert casting == {name for name, kind in rpcapi.CALLS.items()
                       if kind == rpcapi.CAST}


class FakeClient:
    """prepare().call() answers from a script: an exception is raised, a
    value returned, one per call."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []  # (method, timeout)
        self.timeout = None
        self.conf = types.SimpleNamespace(rpc_response_timeout=60)

    def prepare(self, timeout=None):
        client = self

        class Prepared:
            def call(self, ctxt, method, **kwargs):
                client.calls.append((method, timeout))
                answer = client.script.pop(0)
                if isinstance(answer, Exception):
                    raise answer
                if callable(answer):
                    return answer(method, kwargs)
                return answer
        return Prepared()


def _api(monkeypatch, script, **overrides):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    for key, value in overrides.items():
        conf.set_override(key, value, group='conductor')
    client = FakeClient(script)
    monkeypatch.setattr(rpcapi.rpc, 'get_client',
                        lambda *args, **kwargs: client)
    return rpcapi.ConductorAPI(conf=conf), client


def _timeout():
    return messaging.MessagingTimeout('no answer')


CTXT = context.get_admin_context()


def test_a_read_is_sent_again_with_a_growing_timeout(monkeypatch):
    api, client = _api(monkeypatch, [_timeout(), _timeout(), {'id': 1}],
                       call_timeout=5, call_retries=2)
    assert api.service_get(CTXT, 1) == {'id': 1}
    # The last attempt waits the whole rpc_response_timeout.
    assert client.calls == [('service_get', 5), ('service_get', 10),
                            ('service_get', 60)]


def test_the_last_timeout_is_raised(monkeypatch):
    api, client = _api(monkeypatch, [_timeout()] * 3, call_timeout=5,
                       call_retries=2)
    with pytest.raises(messaging.MessagingTimeout):
        api.flavor_get_all(CTXT)
    assert len(client.calls) == 3


def test_no_retries_is_one_call_with_the_default_timeout(monkeypatch):
    api, client = _api(monkeypatch, [_timeout()], call_retries=0)
    with pytest.raises(messaging.MessagingTimeout):
        api.service_get(CTXT, 1)
    assert client.calls == [('service_get', None)]


def test_a_call_not_safe_to_repeat_is_sent_once(monkeypatch):
    api, client = _api(monkeypatch, [_timeout()])
    with pytest.raises(messaging.MessagingTimeout):
        api.action_start(CTXT, 'reboot', 'uuid-1')
    assert client.calls == [('action_start', None)]


def test_an_idempotent_write_is_sent_again(monkeypatch):
    api, client = _api(monkeypatch, [_timeout(), {'status': 'finished'}])
    assert api.migration_update(CTXT, 'm1', {'status': 'finished'}) == {
        'status': 'finished'}
    assert [m for m, _ in client.calls] == ['migration_update'] * 2


def _refused():
    return exception.UnexpectedTaskStateError(
        instance_uuid='uuid-1', expected=['resize_migrating'],
        actual='resize_migrated')


def test_a_cas_refused_after_a_lost_attempt_that_was_run(monkeypatch):
    # The lost attempt ran after all (the check after the timeout does
    # not see it yet: it was still running); the second is refused by
    # the first's own write: the instance as it asked is the answer.
    instance = {'uuid': 'uuid-1', 'task_state': 'resize_migrated',
                'vm_state': 'active'}
    not_yet = dict(instance, task_state='resize_migrating')
    api, client = _api(monkeypatch, [_timeout(), not_yet, _refused(),
                                     instance])
    assert api.instance_update(
        CTXT, 'uuid-1', {'task_state': 'resize_migrated'},
        expected_task_state='resize_migrating') == instance
    assert [m for m, _ in client.calls] == [
        'instance_update', 'instance_get', 'instance_update',
        'instance_get']


def test_a_cas_applied_by_the_lost_attempt_is_not_sent_again(monkeypatch):
    instance = {'uuid': 'uuid-1', 'task_state': None, 'vm_state': 'active',
                'power_state': 1}
    api, client = _api(monkeypatch, [_timeout(), instance])
    assert api.instance_update_and_event(
        CTXT, 'uuid-1', {'task_state': None, 'vm_state': 'active',
                         'power_state': 1},
        expected_task_state='powering-on',
        event_start={'event': 'compute_start_instance', 'host': 'h'}) == \
        instance
    assert [m for m, _ in client.calls] == ['instance_update_and_event',
                                            'instance_get']


def test_a_cas_that_lost_a_race_is_refused(monkeypatch):
    other = {'uuid': 'uuid-1', 'task_state': 'deleting'}
    api, client = _api(monkeypatch, [_timeout(), other, _refused(), other])
    with pytest.raises(exception.UnexpectedTaskStateError):
        api.instance_update(CTXT, 'uuid-1',
                            {'task_state': 'resize_migrated'},
                            expected_task_state='resize_migrating')


def test_a_first_refusal_is_not_looked_into(monkeypatch):
    api, client = _api(monkeypatch, [_refused()])
    with pytest.raises(exception.UnexpectedTaskStateError):
        api.instance_update(CTXT, 'uuid-1', {'task_state': 'x'},
                            expected_task_state='y')
    assert len(client.calls) == 1


def test_build_networking_knows_its_last_step(monkeypatch):
    instance = {'uuid': 'uuid-1', 'task_state': 'spawning'}
    api, client = _api(monkeypatch, [_timeout(), instance])
    assert api.instance_build_networking(
        CTXT, 'uuid-1', {'event': 'compute_build_and_run_instance',
                         'host': 'h'}, spawning=True) == instance
