"""Horizon's instance buttons, pressed in a real (headless) browser against
stack.sh's deployment: Keystone, Glance, the four services on two compute
hosts (fake driver), the flat network's Networking API and Horizon 27.

The tests run in order on one instance, as a user would: launch from the
wizard, then each row action with the status it must reach.  A failure
says what the page showed and leaves a screenshot (its path is in the
message).
"""

import time

import pytest

from tests.integration import conftest
from tests.integration import horizon_browser

NAME = 'hz-vm1'


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-horizon')
    database = conftest.Database('sqlite', tmp_path)
    yield from conftest.stacked(conftest.Deployment(
        tmp_path, database, env={'NOVA_ENABLE_HORIZON': 'True'}))


@pytest.fixture(scope='module')
def dash(deployment):
    dash = horizon_browser.Dashboard(deployment.horizon_url,
                                     deployment.logdir, 'horizon-demo')
    yield dash
    dash.quit()


@pytest.fixture(scope='module')
def demo(dash, deployment):
    dash.login('demo', deployment.env.get('ADMIN_PASSWORD', 'secret'))
    return dash


def test_the_pages_a_member_opens(demo):
    for path, title in (('project/', 'Overview'),
                        ('project/instances/', 'Instances'),
                        ('project/images/', 'Images'),
                        ('project/key_pairs/', 'Key Pairs'),
                        ('project/server_groups/', 'Server Groups'),
                        ('project/networks/', 'Networks'),
                        ('project/security_groups/', 'Security Groups')):
        demo.open_page(path, title)


def test_launch_from_the_wizard(demo, deployment):
    demo.launch(NAME, deployment.image_name, 'm1.tiny', 'private')
    demo.wait_status(NAME, 'Active')
    server = deployment.openstack_json('server', 'show', NAME)
    assert server['status'] == 'ACTIVE'
    assert list(server['addresses']) == ['private']


@pytest.mark.parametrize('action, status', [
    ('stop', 'Shutoff'),
    ('start', 'Active'),
    ('soft_reboot', 'Active'),
    ('reboot', 'Active'),
    ('pause', 'Paused'),
    ('pause', 'Active'),      # the same button now resumes
    ('suspend', 'Suspended'),
    ('suspend', 'Active'),
])
def test_row_action(demo, deployment, action, status):
    demo.row_action(NAME, action)
    demo.confirm_if_asked()
    demo.wait_status(NAME, status)
    demo.check_no_errors(action)


def test_lock_and_unlock(demo, deployment):
    demo.row_action(NAME, 'lock')
    demo.confirm_if_asked()
    _wait_locked(deployment, True)
    demo.row_action(NAME, 'unlock')
    demo.confirm_if_asked()
    _wait_locked(deployment, False)
    demo.check_no_errors('unlock')


def _wait_locked(deployment, locked):
    server = deployment.openstack_json(
        'server', 'show', NAME, '--os-compute-api-version', '2.9')
    assert server['locked'] is locked


def test_create_snapshot(demo, deployment):
    demo.row_action(NAME, 'snapshot')
    demo.modal_submit({'id_name': NAME + '-snap'})
    demo.open_page('project/images/', 'Images')
    demo.visible('//*[normalize-space()="%s-snap"]' % NAME, timeout=120,
                 what='the snapshot in Images')
    demo.open_page('project/instances/', 'Instances')
    demo.wait_status(NAME, 'Active')


def test_rebuild(demo, deployment):
    demo.row_action(NAME, 'rebuild')
    demo.modal_submit({'id_image': deployment.image_name})
    demo.wait_status(NAME, 'Active')
    demo.check_no_errors('rebuild')


@pytest.mark.parametrize('finish, flavor', [('confirm', 'm1.small'),
                                            ('revert', 'm1.small')])
def test_resize(demo, deployment, finish, flavor):
    demo.row_action(NAME, 'resize')
    new = 'm1.small' if finish == 'confirm' else 'm1.medium'
    demo.modal_submit({'id_flavor': new})
    demo.wait_status(NAME, 'Confirm or Revert Resize/Migrate')
    demo.row_action(NAME, finish)
    demo.confirm_if_asked()
    demo.wait_status(NAME, 'Active')
    shown = deployment.openstack_json('server', 'show', NAME)['flavor']
    # The client shows the flavor as a dict from 2.47, as "name (id)"
    # before.
    name = (shown.get('original_name') if isinstance(shown, dict)
            else shown.split(' ')[0])
    assert name == flavor, shown


def test_shelve_and_unshelve(demo):
    demo.row_action(NAME, 'shelve')
    demo.confirm_if_asked()
    demo.wait_status(NAME, 'Shelved Offloaded')
    demo.row_action(NAME, 'shelve')   # now Unshelve
    demo.confirm_if_asked()
    demo.wait_status(NAME, 'Active')


def test_rescue_and_unrescue(demo, deployment):
    demo.row_action(NAME, 'rescue')
    demo.modal_submit({'id_image': deployment.image_name})
    demo.wait_status(NAME, 'Rescue')
    demo.row_action(NAME, 'unrescue')
    demo.confirm_if_asked()
    demo.wait_status(NAME, 'Active')


def test_a_refusal_shows_the_apis_message(demo, deployment):
    """The snapshot dialog, opened while the server was active, submitted
    once it is rescued: the API's 409 names the state, and Horizon's error
    toast carries that message (its Details), not a bare "Unable to"."""
    demo.row_action(NAME, 'snapshot')
    demo.visible(demo.MODAL, what='the snapshot dialog')
    deployment.openstack('server', 'rescue', NAME)
    try:
        deadline = time.monotonic() + horizon_browser.STATUS_TIMEOUT
        while deployment.openstack_json('server', 'show', NAME)[
                'status'] != 'RESCUE':
            assert time.monotonic() < deadline, 'not rescued'
            time.sleep(1)
        demo.modal_submit({'id_name': NAME + '-refused'})
        toasts = demo.error_toasts()
        assert any('Unable to create snapshot' in t and
                   "while it is in vm_state rescued" in t and
                   '(HTTP 409)' in t for t in toasts), toasts
    finally:
        deployment.openstack('server', 'unrescue', NAME)
    demo.open_page('project/instances/', 'Instances')
    demo.wait_status(NAME, 'Active')


def test_log_and_action_log_tabs(demo, deployment):
    server_id = deployment.openstack_json('server', 'show', NAME)['id']
    demo.open_page('project/instances/%s/?tab=instance_details__log'
                   % server_id, NAME)
    demo.open_page('project/instances/%s/?tab=instance_details__audit'
                   % server_id, NAME)
    for action in ('Create', 'Stop', 'Start', 'Pause', 'Unpause',
                   'Resize', 'Rebuild', 'Shelve', 'Rescue'):
        demo.visible('//td[normalize-space()="%s"]' % action,
                     what='%s in the Action Log' % action)


def test_delete(demo, deployment):
    demo.row_action(NAME, 'delete')
    demo.confirm_if_asked()
    demo.visible('//*[contains(normalize-space(),"No items to display")]',
                 timeout=horizon_browser.STATUS_TIMEOUT,
                 what='the instance gone from the table')
    demo.check_no_errors('delete')
    listed = deployment.openstack_json('server', 'list')
    assert NAME not in [s['Name'] for s in listed]


# -- as the admin ----------------------------------------------------------

ADMIN_VM = 'hz-vm2'


@pytest.fixture(scope='module')
def admin(deployment):
    dash = horizon_browser.Dashboard(deployment.horizon_url,
                                     deployment.logdir, 'horizon-admin')
    dash.login('admin', deployment.env.get('ADMIN_PASSWORD', 'secret'))
    yield dash
    dash.quit()


def test_the_pages_an_admin_opens(admin):
    for path, title in (('admin/', 'Usage Overview'),
                        ('admin/instances/', 'Instances'),
                        ('admin/hypervisors/', 'Hypervisors'),
                        ('admin/aggregates/', 'Host Aggregates'),
                        ('admin/flavors/', 'Flavors'),
                        ('admin/info/', 'System Information')):
        admin.open_page(path, title)


def test_migrate_and_confirm(admin, deployment):
    before = deployment.openstack_json(
        'server', 'create', '--image', deployment.image_name, '--flavor',
        'm1.tiny', '--wait', ADMIN_VM, cloud='devstack')
    host = deployment.openstack_json(
        'server', 'show', before['id'], cloud='devstack-admin')[
            'OS-EXT-SRV-ATTR:host']
    page = 'admin/instances/'
    admin.row_action(ADMIN_VM, 'migrate', page=page)
    admin.confirm_if_asked()
    admin.wait_status(ADMIN_VM, 'Confirm or Revert Resize/Migrate')
    admin.row_action(ADMIN_VM, 'confirm', page=page)
    admin.confirm_if_asked()
    admin.wait_status(ADMIN_VM, 'Active')
    after = deployment.openstack_json('server', 'show', before['id'],
                                      cloud='devstack-admin')
    assert after['OS-EXT-SRV-ATTR:host'] != host
    deployment.openstack('server', 'delete', '--wait', before['id'])


def test_create_an_aggregate_with_a_zone(admin, deployment):
    admin.open_page('admin/aggregates/', 'Host Aggregates')
    admin.click(admin.visible('//*[@id="host_aggregates__action_create"]'))
    admin.modal_submit({'id_name': 'hz-agg', 'id_availability_zone':
                        'hz-zone'})
    admin.visible('//td[normalize-space()="hz-agg"]',
                  what='the new aggregate')
    admin.check_no_errors('create aggregate')
    shown = deployment.openstack_json('aggregate', 'show', 'hz-agg',
                                      cloud='devstack-admin')
    assert shown['availability_zone'] == 'hz-zone'


def test_create_a_private_flavor(admin, deployment):
    admin.open_page('admin/flavors/', 'Flavors')
    admin.click(admin.visible('//*[@id="flavors__action_create"]'))
    admin.fill({'id_name': 'hz.private', 'id_vcpus': '1',
                'id_memory_mb': '256', 'id_disk_gb': '1'})
    admin.workflow_tab('Flavor Access')
    admin.add_member('demo')
    admin.modal_submit()
    admin.visible('//td[normalize-space()="hz.private"]',
                  what='the new flavor')
    admin.check_no_errors('create flavor')
    shown = deployment.openstack_json('flavor', 'show', 'hz.private',
                                      cloud='devstack-admin')
    assert shown['os-flavor-access:is_public'] is False
    access = deployment.openstack_json('flavor', 'show', 'hz.private',
                                       cloud='devstack')
    assert access['name'] == 'hz.private'  # demo may see it


def test_set_a_flavors_extra_specs(admin, deployment):
    """Admin > Flavors > Update Metadata: the dialog offers Glance's
    metadata definitions for flavors, and a key added there is saved as
    the flavor's extra spec."""
    flavor = deployment.openstack_json('flavor', 'show', 'hz.private',
                                       cloud='devstack-admin')
    admin.open_page('admin/flavors/', 'Flavors')
    admin.table_row_action('flavors', flavor['id'], 'update_metadata')
    modal = admin.MODAL
    # Glance's definitions for OS::Nova::Flavor (stack.sh loads them).
    admin.visible('%s//li[contains(@class,"list-group-item")]//span['
                  'normalize-space()="CPU Pinning"]' % modal, timeout=60,
                  what='the metadata definition CPU Pinning')
    admin.visible('%s//input[@name="customItem"]' % modal).send_keys(
        'aggregate_instance_extra_specs:hz')
    admin.click(admin.visible(
        '%s//li[.//input[@name="customItem"]]//button[contains(@class,'
        '"btn-primary")][not(@disabled)]' % modal,
        what='the custom key\'s + button'))
    admin.visible(
        '%s//div[contains(@class,"metadata-tree-item")][.//span['
        'normalize-space()="aggregate_instance_extra_specs:hz"]]'
        '//input[@name="property"]' % modal,
        what='the value field of the new key').send_keys('yes')
    admin.modal_submit()
    admin.check_no_errors('update metadata')
    shown = deployment.openstack_json('flavor', 'show', 'hz.private',
                                      cloud='devstack-admin')
    assert shown['properties'] == {
        'aggregate_instance_extra_specs:hz': 'yes'}, shown
