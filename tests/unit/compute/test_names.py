"""instance_name_template: how instances are named on the hypervisor."""

import pytest

from nova.compute import names
from nova import exception

INSTANCE = {'id': 42, 'uuid': '6932dd2f-7ec3-4357-9a15-9555f59ae7cf'}


@pytest.mark.parametrize('template, expected', [
    ('instance-%08x', 'instance-0000002a'),
    ('it-1a2b-%08x', 'it-1a2b-0000002a'),
    ('vm-%(id)d', 'vm-42'),
    ('%(uuid)s', INSTANCE['uuid']),
])
def test_instance_name(template, expected):
    assert names.instance_name(template, INSTANCE) == expected


@pytest.mark.parametrize('template', ['vm-%(name)s', 'vm-%08x-%s', 'vm-%q'])
def test_a_template_that_cannot_name_an_instance_says_why(template):
    with pytest.raises(exception.InvalidConfiguration) as raised:
        names.instance_name(template, INSTANCE)
    assert template in str(raised.value)


@pytest.mark.parametrize('template, prefix', [
    ('instance-%08x', 'instance-'), ('%(uuid)s', ''), ('plain', 'plain')])
def test_name_prefix(template, prefix):
    assert names.name_prefix(template) == prefix
