"""The tenant usage's period parsing and hours (no API, no database)."""

import datetime

import pytest

from nova.api.handlers import simple_tenant_usage as handler
from nova.api.views import simple_tenant_usage as views
from nova import exception

T0 = datetime.datetime(2025, 6, 1)
HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize('value,expected', [
    ('2025-06-01T01:02:03', datetime.datetime(2025, 6, 1, 1, 2, 3)),
    ('2025-06-01T01:02:03.5', datetime.datetime(2025, 6, 1, 1, 2, 3,
                                                500000)),
    ('2025-06-01 01:02:03.000001', datetime.datetime(2025, 6, 1, 1, 2, 3,
                                                     1)),
])
def test_upstreams_formats(value, expected):
    assert handler.parse_time(value) == expected


@pytest.mark.parametrize('value', [
    '2025-06-01', '2025-06-01T01:02:03Z', '2025-06-01T01:02:03+02:00',
    '2025-06-01 01:02:03', 'now'])
def test_other_formats_are_refused(value):
    with pytest.raises(exception.InvalidStrTime) as info:
        handler.parse_time(value)
    assert info.value.code == 400


def test_missing_is_now():
    before = datetime.datetime.utcnow()
    assert before <= handler.parse_time(None) <= datetime.datetime.utcnow()
    assert before <= handler.parse_time('')


def _instance(launched, terminated=None):
    return {'launched_at': launched, 'terminated_at': terminated}


@pytest.mark.parametrize('launched,terminated,hours', [
    (T0 - HOUR, None, 10),              # running through the period
    (T0 + HOUR, None, 9),               # launched within it
    (T0 - HOUR, T0 + 2.5 * HOUR, 2.5),  # deleted within it
    (T0 + HOUR, T0 + 2 * HOUR, 1),      # both within it
    (T0 - 2 * HOUR, T0 - HOUR, 0),      # before it
    (T0 + 11 * HOUR, None, 0),          # after it
    (None, None, 0),                    # never launched
])
def test_hours_within_the_period(launched, terminated, hours):
    assert views.hours_within(_instance(launched, terminated), T0,
                              T0 + 10 * HOUR) == hours
