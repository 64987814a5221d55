import datetime

from nova import servicegroup

NOW = datetime.datetime(2026, 11, 22, 12, 0, 0)


def _service(seconds_ago, forced_down=False):
    return {'last_seen_up': NOW - datetime.timedelta(seconds=seconds_ago),
            'created_at': NOW - datetime.timedelta(days=1),
            'forced_down': forced_down}


def test_recent_heartbeat_is_up():
    assert servicegroup.service_is_up(_service(59), 60, NOW)


def test_old_heartbeat_is_down():
    assert not servicegroup.service_is_up(_service(61), 60, NOW)


def test_forced_down_wins():
    assert not servicegroup.service_is_up(_service(0, True), 60, NOW)


def test_never_reported_falls_back_to_created_at():
    service = {'last_seen_up': None, 'created_at': NOW, 'forced_down': False}
    assert servicegroup.service_is_up(service, 60, NOW)
