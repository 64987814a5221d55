"""POST /servers/{id}/action: one handler per action.

Every state-changing action follows one recipe (``_cast_action``): check
the transitions table (409 naming the action and the state), set the
accept task_state with a compare-and-swap, record the instance action,
cast to the instance's compute.
"""

import re

from oslo_utils import strutils

from nova.api.handlers import remote_consoles
from nova.api.handlers import servers
from nova.api.policies import server_actions as policies
from nova.api import policy
from nova.api import server_ops
from nova.api.schemas import server_actions as schemas
from nova.api import validation
from nova.api.views import servers as views
from nova.api import wsgi
from nova.compute import aggregates
from nova.compute import states
from nova.compute import transitions
from nova import exception
from nova.network import api as network_api
from nova import quota

# Control characters other than tab and newline are dropped from consoles.
_CONTROL = re.compile('[\x00-\x08\x0b-\x1f\x7f]')


def _authorize(req, rule, instance):
    policy.authorize(req.context, rule,
                     {'project_id': instance['project_id'],
                      'user_id': instance['user_id']})


def _accept(req, instance, operation, method, action, changes=None):
    """Check and claim the operation; returns the updated instance.
    changes: what the accept records besides the task state."""
    ctxt = req.context
    row = transitions.check(operation, instance, ctxt.is_admin, method)
    expected = list(row.task_states) if row.task_states is not None \
        else None
    values = {'task_state': row.accept_task} if row.accept_task else {}
    if values and changes:
        values.update(changes)
    if values:
        try:
            instance = req.conductor.instance_update(
                ctxt, instance['uuid'], values,
                expected_task_state=expected)
        except exception.UnexpectedTaskStateError:
            current = req.conductor.instance_get(ctxt, instance['uuid'])
            raise exception.InstanceInvalidState(
                method=method, instance_uuid=instance['uuid'],
                attr='task_state', state=current['task_state'])
    req.conductor.action_start(ctxt, action, instance['uuid'])
    return instance


def _cast_action(operation, rule, method, action, rpc_method):
    def handler(req, server_id, body):
        instance = servers.get_instance(req, server_id)
        _authorize(req, rule, instance)
        instance = _accept(req, instance, operation, method, action)
        getattr(req.environ['nova.compute'], rpc_method)(
            req.context, instance['host'], instance['uuid'])
        return wsgi.empty_response(202)
    return handler


def _reboot(req, server_id, body):
    validation.validate({'reboot': body}, schemas.reboot)
    hard = body['type'].upper() == 'HARD'
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.REBOOT, instance)
    instance = _accept(req, instance, 'reboot_hard' if hard else 'reboot',
                       'reboot', 'reboot')
    req.environ['nova.compute'].reboot_instance(
        req.context, instance['host'], instance['uuid'],
        'HARD' if hard else 'SOFT')
    return wsgi.empty_response(202)


def _rescue(req, server_id, body):
    validation.validate({'rescue': body}, schemas.rescue)
    body = body or {}
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.RESCUE, instance)
    password = body.get('adminPass') or server_ops.generate_password()
    instance = _accept(req, instance, 'rescue', 'rescue', 'rescue')
    req.environ['nova.compute'].rescue_instance(
        req.context, instance['host'], instance['uuid'], password,
        body.get('rescue_image_ref'))
    if not req.conf.api.enable_instance_password:
        return wsgi.json_response({})
    return wsgi.json_response({'adminPass': password})


def _lock(req, server_id, body):
    validation.validate({'lock': body}, schemas.lock(req.version))
    # Before 2.73 the value is anything and means nothing.
    reason = body.get('locked_reason') if req.is_version(
        schemas.LOCKED_REASON) and body is not None else None
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.LOCK, instance)
    _accept(req, instance, 'lock', 'lock', 'lock')
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.pop('locked_reason', None)
    if reason:
        system_metadata['locked_reason'] = reason
    owner = ctxt.project_id == instance['project_id']
    _api_event(req, instance, 'api_lock', {
        'locked': True, 'locked_by': 'owner' if owner else 'admin',
        'system_metadata': system_metadata})
    return wsgi.empty_response(202)


def _unlock(req, server_id, body):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.UNLOCK, instance)
    if instance['locked_by'] == 'admin' and not ctxt.is_admin:
        _authorize(req, policies.UNLOCK_OVERRIDE, instance)
    _accept(req, instance, 'unlock', 'unlock', 'unlock')
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.pop('locked_reason', None)
    _api_event(req, instance, 'api_unlock', {
        'locked': False, 'locked_by': None,
        'system_metadata': system_metadata})
    return wsgi.empty_response(202)


def _api_event(req, instance, event, values):
    conductor, ctxt = req.conductor, req.context
    conductor.event_start(ctxt, instance['uuid'], event, None)
    conductor.instance_update(ctxt, instance['uuid'], values)
    conductor.event_finish(ctxt, instance['uuid'], event, 'Success')


def _console_output(req, server_id, body):
    validation.validate({'os-getConsoleOutput': body},
                        schemas.console_output)
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.CONSOLE_OUTPUT, instance)
    transitions.check('os-getConsoleOutput', instance, req.context.is_admin)
    length = body.get('length')
    length = None if length in (None, -1, '-1') else int(length)
    output = req.environ['nova.compute'].get_console_output(
        req.context, instance['host'], instance['uuid'])
    output = _CONTROL.sub('', output)
    if length is not None:
        output = '\n'.join(output.split('\n')[-length:]) if length else ''
    return wsgi.json_response({'output': output})


def _create_image(req, server_id, body):
    validation.validate({'createImage': body}, schemas.create_image)
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.CREATE_IMAGE, instance)
    transitions.check('createImage', instance, ctxt.is_admin, 'createImage')
    image_api = req.environ['nova.image_api']
    image = image_api.create(ctxt, server_ops.snapshot_image_meta(
        ctxt, instance, body['name'], 'snapshot', body.get('metadata')))
    try:
        instance = _accept(req, instance, 'createImage', 'createImage',
                           'createImage')
    except exception.NovaException:
        image_api.delete(ctxt, image['id'])
        raise
    req.environ['nova.compute'].snapshot_instance(
        ctxt, instance['host'], instance['uuid'], image['id'])
    if req.is_version(schemas.SNAPSHOT_IMAGE_ID):
        return wsgi.json_response({'image_id': image['id']}, status=202)
    response = wsgi.empty_response(202)
    response.headers['Location'] = '%s/v2/images/%s' % (
        req.conf.glance.endpoint.rstrip('/'), image['id'])
    return response


def _create_backup(req, server_id, body):
    validation.validate({'createBackup': body}, schemas.create_backup)
    ctxt = req.context
    rotation = int(body['rotation'])
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.CREATE_BACKUP, instance)
    transitions.check('createBackup', instance, ctxt.is_admin,
                      'createBackup')
    image_api = req.environ['nova.image_api']
    image = image_api.create(ctxt, server_ops.snapshot_image_meta(
        ctxt, instance, body['name'], 'backup', body.get('metadata'),
        backup_type=body['backup_type']))
    try:
        instance = _accept(req, instance, 'createBackup', 'createBackup',
                           'createBackup')
    except exception.NovaException:
        image_api.delete(ctxt, image['id'])
        raise
    req.environ['nova.compute'].backup_instance(
        ctxt, instance['host'], instance['uuid'], image['id'],
        body['backup_type'], rotation)
    if req.is_version(schemas.SNAPSHOT_IMAGE_ID):
        return wsgi.json_response({'image_id': image['id']}, status=202)
    response = wsgi.empty_response(202)
    # Before 2.45 upstream links the backup as an image of the compute
    # API (not the Image API, as createImage does), and only when it is
    # kept (rotation above 0).
    if rotation > 0:
        response.headers['Location'] = req.link('images', image['id'])
    return response


def _reset_state(req, server_id, body):
    validation.validate({'os-resetState': body}, schemas.reset_state)
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.RESET_STATE, instance)
    transitions.check('resetState', instance, ctxt.is_admin)
    req.conductor.action_start(ctxt, 'resetState', instance['uuid'])
    req.conductor.instance_update(ctxt, instance['uuid'], {
        'vm_state': states.ERROR if body['state'] == 'error'
        else states.ACTIVE,
        'task_state': None})
    return wsgi.empty_response(202)


def _restore(req, server_id, body):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.RESTORE, instance)
    transitions.check('restore', instance, ctxt.is_admin, 'restore')
    # Soft-deleted servers still count against the quota here (their rows
    # are live), so a restore needs no quota check.
    if not instance['host']:
        req.conductor.action_start(ctxt, 'restore', instance['uuid'])
        req.conductor.instance_update(
            ctxt, instance['uuid'],
            {'vm_state': states.ACTIVE, 'task_state': None,
             'deleted_at': None}, expected_task_state=[None])
        return wsgi.empty_response(202)
    instance = _accept(req, instance, 'restore', 'restore', 'restore')
    req.conductor.instance_update(ctxt, instance['uuid'],
                                  {'deleted_at': None})
    req.environ['nova.compute'].restore_instance(ctxt, instance['host'],
                                                 instance['uuid'])
    return wsgi.empty_response(202)


def _trigger_crash_dump(req, server_id, body):
    validation.validate({'trigger_crash_dump': body},
                        schemas.trigger_crash_dump)
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.TRIGGER_CRASH_DUMP, instance)
    transitions.check('trigger_crash_dump', instance, ctxt.is_admin,
                      'trigger_crash_dump')
    if not instance['host']:
        raise exception.InstanceNotReady(instance_uuid=instance['uuid'])
    req.conductor.action_start(ctxt, 'trigger_crash_dump', instance['uuid'])
    req.environ['nova.compute'].trigger_crash_dump(ctxt, instance['host'],
                                                   instance['uuid'])
    return wsgi.empty_response(202)


def _inject_network_info(req, server_id, body):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.INJECT_NETWORK_INFO, instance)
    transitions.check('injectNetworkInfo', instance, ctxt.is_admin)
    req.environ['nova.compute'].inject_network_info(ctxt, instance['host'],
                                                    instance['uuid'])
    return wsgi.empty_response(202)


def _security_group_name(body):
    """The group a security group action names (upstream's messages)."""
    if not isinstance(body, dict):
        raise exception.Invalid('Missing parameter dict')
    if 'name' not in body:
        raise exception.Invalid('Security group not specified')
    name = body['name']
    if not isinstance(name, str) or not name.strip():
        raise exception.Invalid('Security group name cannot be empty')
    return name


def _security_group_action(rule, change):
    """addSecurityGroup / removeSecurityGroup: change is the network
    API's method that adds the group to the instance or takes it away."""
    def handler(req, server_id, body):
        instance = servers.get_instance(req, server_id)
        _authorize(req, rule, instance)
        name = _security_group_name(body)
        transitions.check('securityGroups', instance, req.context.is_admin)
        getattr(network_api.API(req.conf, req.conductor), change)(
            req.context, instance, name)
        return wsgi.empty_response(202)
    return handler


_add_security_group = _security_group_action(
    policies.ADD_SECURITY_GROUP, 'add_to_instance')
_remove_security_group = _security_group_action(
    policies.REMOVE_SECURITY_GROUP, 'remove_from_instance')


def _rebuild(req, server_id, body):
    validation.validate({'rebuild': body}, schemas.rebuild(req.version))
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.REBUILD, instance)
    transitions.check('rebuild', instance, ctxt.is_admin, 'rebuild')
    quota.check_metadata(req.conf, req.conductor, ctxt, body.get('metadata'),
                         instance['project_id'], instance['user_id'])
    image = server_ops.get_image(req.environ['nova.image_api'], ctxt,
                                 body['imageRef'], instance['flavor'])
    password = body.get('adminPass') or server_ops.generate_password()
    fields = {'name': 'display_name', 'description': 'display_description',
              'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6',
              'user_data': 'user_data', 'hostname': 'hostname',
              'metadata': 'metadata'}
    values = {column: body[key] for key, column in fields.items()
              if key in body}
    if values.get('access_ip_v6'):
        values['access_ip_v6'] = server_ops.normalize_ipv6(
            values['access_ip_v6'])
    if 'OS-DCF:diskConfig' in body:
        values['auto_disk_config'] = body['OS-DCF:diskConfig'] == 'AUTO'
    if 'key_name' in body:
        values['key_name'] = body['key_name']
        values['key_data'] = None
        if body['key_name']:
            try:
                values['key_data'] = req.conductor.keypair_get(
                    ctxt, ctxt.user_id, body['key_name'])['public_key']
            except exception.KeypairNotFound:
                raise exception.Invalid('Invalid key_name provided.')
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.update(server_ops.image_system_metadata(image))
    properties = image.get('properties') or {}
    values.update(image_ref=image['id'], system_metadata=system_metadata,
                  kernel_id=properties.get('kernel_id'),
                  ramdisk_id=properties.get('ramdisk_id'))
    instance = _accept(req, instance, 'rebuild', 'rebuild', 'rebuild')
    instance = req.conductor.instance_update(ctxt, instance['uuid'], values)
    req.environ['nova.compute'].rebuild_instance(
        ctxt, instance['host'], instance['uuid'],
        {'id': image['id'], 'properties': image.get('properties') or {}},
        password)
    if not req.conf.api.enable_instance_password:
        password = None
    admin_fields, statuses = servers.view_options(req)
    return wsgi.json_response(
        views.rebuild_body(req, instance, password, admin_fields,
                           servers.host_status(statuses, instance),
                           server_groups=servers.server_groups(req, instance),
                           show_extra_specs=servers.extra_specs_shown(req)),
        status=202,
        headers={'Location': req.link('servers', instance['uuid'])})


def _shelve(req, server_id, body):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.SHELVE, instance)
    transitions.check('shelve', instance, ctxt.is_admin, 'shelve')
    image_api = req.environ['nova.image_api']
    system_metadata = instance.get('system_metadata') or {}
    image = image_api.create(ctxt, {
        'name': '%s-shelved' % instance['display_name'],
        'disk_format': system_metadata.get('image_disk_format') or 'qcow2',
        'container_format':
            system_metadata.get('image_container_format') or 'bare',
        'properties': dict(
            server_ops.inherited_image_properties(system_metadata),
            instance_uuid=instance['uuid'], image_type='snapshot',
            base_image_ref=instance['image_ref'])})
    try:
        instance = _accept(req, instance, 'shelve', 'shelve', 'shelve')
    except exception.NovaException:
        image_api.delete(ctxt, image['id'])
        raise
    req.environ['nova.compute'].shelve_instance(
        ctxt, instance['host'], instance['uuid'], image['id'])
    return wsgi.empty_response(202)


def _shelve_offload(req, server_id, body):
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.SHELVE_OFFLOAD, instance)
    instance = _accept(req, instance, 'shelveOffload', 'shelveOffload',
                       'shelveOffload')
    req.environ['nova.compute'].shelve_offload_instance(
        req.context, instance['host'], instance['uuid'])
    return wsgi.empty_response(202)


def _unshelve(req, server_id, body):
    validation.validate({'unshelve': body}, schemas.unshelve(req.version))
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.UNSHELVE, instance)
    body = body if req.is_version(schemas.UNSHELVE_ZONE) and body else {}
    zone = body.get('availability_zone')
    # 2.91: an explicit null zone unpins the instance from its zone.
    unpin = 'availability_zone' in body and zone is None
    host = body.get('host')
    if host is not None:
        _authorize(req, policies.UNSHELVE_TO_HOST, instance)
    if (zone or unpin or host) and \
            instance['vm_state'] != states.SHELVED_OFFLOADED:
        raise exception.Conflict(
            'The availability_zone or host can only be given to unshelve '
            'a shelved offloaded instance.')
    if zone:
        server_ops.check_zone_available(req.conf, req.conductor, ctxt,
                                        zone)
    if host is not None:
        try:
            req.conductor.service_get_by_host_and_binary(ctxt, host,
                                                         'nova-compute')
        except exception.NotFound:
            raise exception.Invalid('Compute host %s could not be found.'
                                    % host)
        # The zone named, else the one the instance is held to (unless
        # unpinned) must be the host's, as upstream checks.
        held = zone or (None if unpin else (
            instance['system_metadata'] or {}).get(
                aggregates.REQUESTED_ZONE_KEY))
        if held and held != server_ops.host_zone(req.conf, req.conductor,
                                                 ctxt, host):
            raise exception.Conflict(
                'Host "%s" is not in the availability zone "%s".'
                % (host, held))
    instance = _accept(req, instance, 'unshelve', 'unshelve', 'unshelve')
    req.conductor.unshelve_instance(ctxt, instance['uuid'], zone, host=host,
                                    unpin_zone=unpin)
    return wsgi.empty_response(202)


def _check_source_up(req, instance):
    if not server_ops.compute_is_up(req.conf, req.conductor, req.context,
                                    instance['host']):
        raise exception.Conflict('Service is unavailable at this time.')


def _move(req, server_id, operation, rule, flavor, host=None,
          changes=None):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, rule, instance)
    transitions.check(operation, instance, ctxt.is_admin, operation)
    _check_source_up(req, instance)
    if host is not None:
        _authorize(req, policies.MIGRATE_HOST, instance)
        if host == instance['host']:
            raise exception.Invalid('The target host %s is the current '
                                    'host of the instance.' % host)
        try:
            req.conductor.service_get_by_host_and_binary(ctxt, host,
                                                         'nova-compute')
        except exception.NotFound:
            raise exception.Invalid('Compute host %s could not be found.'
                                    % host)
    instance = _accept(req, instance, operation, operation, operation,
                       changes)
    req.conductor.migrate_server(ctxt, instance['uuid'], flavor, host)
    return wsgi.empty_response(202)


def _migrate(req, server_id, body):
    validation.validate({'migrate': body}, schemas.migrate(req.version))
    host = body.get('host') if req.is_version(
        schemas.MIGRATE_HOST) and body is not None else None
    return _move(req, server_id, 'migrate', policies.MIGRATE, None, host)


def _resize(req, server_id, body):
    validation.validate({'resize': body}, schemas.resize)
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    flavor = server_ops.get_flavor(req.conductor, ctxt, body['flavorRef'])
    if flavor['flavorid'] == instance['flavor']['flavorid']:
        raise exception.Invalid('When resizing, instances must change '
                                'flavor!')
    if flavor['root_gb'] < (instance['flavor'].get('root_gb') or 0):
        raise exception.Invalid('Resizing to a smaller disk flavor is not '
                                'allowed.')
    # As upstream, a resize without OS-DCF:diskConfig turns it to MANUAL.
    auto_disk_config = body.get('OS-DCF:diskConfig') == 'AUTO'
    return _move(req, server_id, 'resize', policies.RESIZE,
                 server_ops.flavor_copy(flavor),
                 changes={'auto_disk_config': auto_disk_config})


def _evacuate(req, server_id, body):
    """Rebuild the server on another host, its own being down (admin).

    200, and before 2.14 the new admin password (unless onSharedStorage,
    which keeps the disk and its password); from 2.14 no body.  The host,
    if named, must be a compute host other than the server's (the
    scheduler still checks it can take the server, unless forced:
    2.29-2.67)."""
    validation.validate({'evacuate': body}, schemas.evacuate(req.version))
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.EVACUATE, instance)
    host = body.get('host')
    force = False
    if req.is_version(schemas.EVACUATE_NO_SHARED_STORAGE):
        password = body.get('adminPass') or server_ops.generate_password()
    else:
        on_shared_storage = strutils.bool_from_string(
            body['onSharedStorage'], strict=True)
        if 'adminPass' in body and on_shared_storage:
            raise exception.Invalid("admin password can't be changed on "
                                    "existing disk")
        password = body.get('adminPass') or (
            None if on_shared_storage else server_ops.generate_password())
    if req.is_version(schemas.EVACUATE_FORCE) and not req.is_version(
            schemas.EVACUATE_NO_FORCE):
        force = strutils.bool_from_string(body.get('force', False),
                                          strict=True)
        if force and not host:
            raise exception.Invalid("Can't force to a non-provided "
                                    "destination")
    if host is not None:
        try:
            req.conductor.service_get_by_host_and_binary(ctxt, host,
                                                         'nova-compute')
        except exception.NotFound:
            raise exception.NotFound('Compute host %s not found.' % host)
        if host == instance['host']:
            raise exception.Invalid("The target host can't be the same "
                                    "one.")
    transitions.check('evacuate', instance, ctxt.is_admin, 'evacuate')
    if server_ops.compute_is_up(req.conf, req.conductor, ctxt,
                                instance['host']):
        # As upstream (ComputeServiceInUse): 400, not 409.
        raise exception.ComputeServiceInUse(host=instance['host'])
    instance = _accept(req, instance, 'evacuate', 'evacuate', 'evacuate')
    req.conductor.evacuate_instance(ctxt, instance['uuid'], host=host,
                                    force=force, admin_password=password)
    if not req.is_version(schemas.EVACUATE_NO_SHARED_STORAGE) and \
            req.conf.api.enable_instance_password:
        return wsgi.json_response({'adminPass': password})
    return wsgi.empty_response(200)


def _finished_migration(req, instance):
    try:
        return req.conductor.migration_get_by_instance_and_status(
            req.context, instance['uuid'], 'finished')
    except exception.MigrationNotFound:
        raise exception.Invalid('Instance has not been resized.')


def _confirm_resize(req, server_id, body):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.CONFIRM_RESIZE, instance)
    transitions.check('confirmResize', instance, ctxt.is_admin,
                      'confirmResize')
    migration = _finished_migration(req, instance)
    if not server_ops.compute_is_up(req.conf, req.conductor, ctxt,
                                    migration['source_compute']):
        raise exception.Conflict('Service is unavailable at this time.')
    req.conductor.migration_update(ctxt, migration['uuid'],
                                   {'status': 'confirming'})
    _accept(req, instance, 'confirmResize', 'confirmResize',
            'confirmResize')
    req.environ['nova.compute'].confirm_resize(
        ctxt, migration['source_compute'], instance['uuid'],
        migration['uuid'])
    return wsgi.empty_response(204)


def _revert_resize(req, server_id, body):
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    _authorize(req, policies.REVERT_RESIZE, instance)
    transitions.check('revertResize', instance, ctxt.is_admin,
                      'revertResize')
    migration = _finished_migration(req, instance)
    instance = _accept(req, instance, 'revertResize', 'revertResize',
                       'revertResize')
    req.conductor.migration_update(ctxt, migration['uuid'],
                                   {'status': 'reverting'})
    req.environ['nova.compute'].revert_resize(
        ctxt, migration['dest_compute'], instance['uuid'],
        migration['uuid'])
    return wsgi.empty_response(202)


ACTIONS = {
    'migrate': _migrate,
    'resize': _resize,
    'confirmResize': _confirm_resize,
    'revertResize': _revert_resize,
    'evacuate': _evacuate,
    'createImage': _create_image,
    'shelve': _shelve,
    'shelveOffload': _shelve_offload,
    'unshelve': _unshelve,
    'rebuild': _rebuild,
    'forceDelete': servers.force_delete,
    'os-stop': _cast_action('stop', policies.STOP, 'stop', 'stop',
                            'stop_instance'),
    'os-start': _cast_action('start', policies.START, 'start', 'start',
                             'start_instance'),
    'reboot': _reboot,
    'pause': _cast_action('pause', policies.PAUSE, 'pause', 'pause',
                          'pause_instance'),
    'unpause': _cast_action('unpause', policies.UNPAUSE, 'unpause',
                            'unpause', 'unpause_instance'),
    'suspend': _cast_action('suspend', policies.SUSPEND, 'suspend',
                            'suspend', 'suspend_instance'),
    'resume': _cast_action('resume', policies.RESUME, 'resume', 'resume',
                           'resume_instance'),
    'rescue': _rescue,
    'unrescue': _cast_action('unrescue', policies.UNRESCUE, 'unrescue',
                             'unrescue', 'unrescue_instance'),
    'lock': _lock,
    'unlock': _unlock,
    'os-getConsoleOutput': _console_output,
    'os-getVNCConsole': remote_consoles.get_vnc_console,
    'createBackup': _create_backup,
    'os-resetState': _reset_state,
    'restore': _restore,
    'trigger_crash_dump': _trigger_crash_dump,
    'injectNetworkInfo': _inject_network_info,
    'addSecurityGroup': _add_security_group,
    'removeSecurityGroup': _remove_security_group,
}

# Actions a microversion introduced: before it they do not exist.
MIN_VERSIONS = {'trigger_crash_dump': schemas.TRIGGER_CRASH_DUMP}


def server_action(req, server_id):
    action, body = req.action({
        name: handler for name, handler in ACTIONS.items()
        if name not in MIN_VERSIONS or req.is_version(MIN_VERSIONS[name])})
    handler = ACTIONS[action]
    if action in schemas.BODYLESS_ACTIONS:
        validation.validate(body, schemas.BODYLESS_ACTIONS[action])
    return handler(req, server_id, body[action])
