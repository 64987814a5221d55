"""select_destinations: the host states come with the request (1.2)."""

import datetime
from unittest import mock

from nova.scheduler import manager
from nova.scheduler import utils
from tests.unit.scheduler import make_conf, make_host, make_spec


def _host(**fields):
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return make_host(**fields, service={'disabled': False, 'disabled_reason': None,
                              'forced_down': False, 'last_seen_up': now,
                              'created_at': now})


def test_host_states_sent_with_the_request_are_not_asked_for():
    conductor = mock.Mock()
    scheduler = manager.SchedulerManager(make_conf(), 'sched1', conductor)
    ((chosen,),) = scheduler.select_destinations(
        mock.sentinel.ctxt, make_spec(), ['inst-1'], host_states=[_host()])
    assert chosen['host'] == 'host1'
    conductor.host_states_get_all.assert_not_called()
    conductor.allocation_claim.assert_called_once()


def test_without_them_the_scheduler_asks_the_conductor():
    conductor = mock.Mock()
    conductor.host_states_get_all.return_value = [
        _host(instance_uuids=['inst-0'])]
    scheduler = manager.SchedulerManager(make_conf(), 'sched1', conductor)
    spec = make_spec(scheduler_hints={'same_host': ['inst-0']})
    scheduler.select_destinations(mock.sentinel.ctxt, spec, ['inst-1'])
    conductor.host_states_get_all.assert_called_once_with(
        mock.sentinel.ctxt, with_instances=True)


def test_instances_are_needed_only_for_the_host_hints():
    assert not utils.needs_instances(make_spec())
    assert utils.needs_instances(make_spec(
        scheduler_hints={'different_host': 'inst-0'}))


def test_unclaimed_selection_leaves_the_claim_to_the_caller():
    conductor = mock.Mock()
    scheduler = manager.SchedulerManager(make_conf(), 'sched1', conductor)
    twin = _host(name='host2', id=2)
    ((first, _), (again, _)) = scheduler.select_destinations(
        mock.sentinel.ctxt, make_spec(num_instances=2), ['inst-1', 'inst-2'],
        host_states=[_host(), twin], claim=False)
    conductor.allocation_claim.assert_not_called()
    # Spread: the first one's resources count against its host, so the
    # second goes to the other.
    assert {first['host'], again['host']} == {'host1', 'host2'}
