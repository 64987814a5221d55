"""nova.compute.flavors.FlavorAPI with a fake conductor client."""

from unittest import mock
import uuid

import pytest

from nova.compute import flavors
from nova import context as nova_context
from nova import exception


ADMIN = nova_context.RequestContext(user_id='a', project_id='p',
                                    is_admin=True)


def _api(flavor=None):
    conductor = mock.Mock()
    conductor.flavor_get.return_value = flavor or {'is_public': True}
    return flavors.FlavorAPI(conductor)


def test_a_project_sees_a_flavor_through_its_access_an_admin_all():
    api = _api()
    user = nova_context.RequestContext(user_id='u', project_id='p')
    admin = nova_context.RequestContext(user_id='a', project_id='p',
                                        is_admin=True)
    api.get(user, 'f')
    api.conductor.flavor_get.assert_called_with(user, 'f', project_id='p')
    api.get(admin, 'f')
    api.conductor.flavor_get.assert_called_with(admin, 'f', project_id=None)


def test_create_converts_and_names_a_flavor_without_an_id():
    api = _api()
    api.create(None, 'f', '512', '1', '1', rxtx_factor='2')
    values = api.conductor.flavor_create.call_args[0][1]
    assert uuid.UUID(values['flavorid'])
    assert (values['memory_mb'], values['vcpus'], values['root_gb'],
            values['rxtx_factor']) == (512, 1, 1, 2.0)
    api.create(None, 'f', 512, 1, 1, flavorid=7)
    assert api.conductor.flavor_create.call_args[0][1]['flavorid'] == '7'


def test_extra_specs_are_stored_as_text_of_a_visible_flavor():
    api = _api()
    api.set_extra_specs(ADMIN, 'f', {'hw:cpu_cores': 2})
    api.conductor.flavor_extra_specs_update.assert_called_once_with(
        ADMIN, 'f', {'hw:cpu_cores': '2'})
    api.conductor.flavor_get.side_effect = exception.FlavorNotFound(
        flavor_id='g')
    with pytest.raises(exception.FlavorNotFound):
        api.set_extra_specs(ADMIN, 'g', {'k': 'v'})
    api.conductor.flavor_extra_specs_update.assert_called_once()


def test_a_public_flavor_has_no_access_list_and_refuses_shares():
    api = _api({'is_public': True})
    with pytest.raises(exception.FlavorAccessListOfPublicFlavor):
        api.access_list(ADMIN, 'f')
    with pytest.raises(exception.FlavorAccessToPublicFlavor):
        api.add_access(ADMIN, 'f', 'p2', refuse_public=True)
    api.conductor.flavor_access_add.assert_not_called()
    # Before 2.7 the row is added, for nothing, as upstream did.
    api.add_access(ADMIN, 'f', 'p2', refuse_public=False)
    api.conductor.flavor_access_add.assert_called_once_with(ADMIN, 'f', 'p2')
