"""POST /servers/{id}/action: one handler per action.

Each reads the body (its schema), the server and its policy, then calls
the compute API (req.compute_api, nova.compute.api), which checks the
transition, claims it and hands it to the compute or the conductor.
"""

from oslo_utils import strutils

from nova.api.handlers import remote_consoles
from nova.api.handlers import server_migrate_live
from nova.api.handlers import servers
from nova.api.policies import server_actions as policies
from nova.api import policy
from nova.api.schemas import server_actions as schemas
from nova.api import validation
from nova.api.views import servers as views
from nova.api import wsgi
from nova.compute import api as compute
from nova import exception


def _authorize(req, rule, instance):
    policy.authorize(req.context, rule,
                     {'project_id': instance['project_id'],
                      'user_id': instance['user_id']})


def _authorized_instance(req, server_id, rule):
    instance = servers.get_instance(req, server_id)
    _authorize(req, rule, instance)
    return instance


def _simple_action(rule, method, status=202):
    """An action with no body of its own: compute_api.method(context,
    instance)."""
    def handler(req, server_id, body):
        instance = _authorized_instance(req, server_id, rule)
        getattr(req.compute_api, method)(req.context, instance)
        return wsgi.empty_response(status)
    return handler


def _trigger_crash_dump(req, server_id, body):
    validation.validate({'trigger_crash_dump': body},
                        schemas.trigger_crash_dump)
    instance = _authorized_instance(req, server_id,
                                    policies.TRIGGER_CRASH_DUMP)
    req.compute_api.trigger_crash_dump(req.context, instance)
    return wsgi.empty_response(202)


def _reboot(req, server_id, body):
    validation.validate({'reboot': body}, schemas.reboot)
    instance = _authorized_instance(req, server_id, policies.REBOOT)
    req.compute_api.reboot(req.context, instance,
                           hard=body['type'].upper() == 'HARD')
    return wsgi.empty_response(202)


def _rescue(req, server_id, body):
    validation.validate({'rescue': body}, schemas.rescue)
    body = body or {}
    instance = _authorized_instance(req, server_id, policies.RESCUE)
    password = req.compute_api.rescue(
        req.context, instance, admin_password=body.get('adminPass'),
        rescue_image_ref=body.get('rescue_image_ref'))
    if not req.conf.api.enable_instance_password:
        return wsgi.json_response({})
    return wsgi.json_response({'adminPass': password})


def _lock(req, server_id, body):
    validation.validate({'lock': body}, schemas.lock(req.version))
    # Before 2.73 the value is anything and means nothing.
    reason = body.get('locked_reason') if req.is_version(
        schemas.LOCKED_REASON) and body is not None else None
    instance = _authorized_instance(req, server_id, policies.LOCK)
    req.compute_api.lock(req.context, instance, reason)
    return wsgi.empty_response(202)


def _unlock(req, server_id, body):
    instance = _authorized_instance(req, server_id, policies.UNLOCK)
    if instance['locked_by'] == 'admin' and not req.context.is_admin:
        _authorize(req, policies.UNLOCK_OVERRIDE, instance)
    req.compute_api.unlock(req.context, instance)
    return wsgi.empty_response(202)


def _console_output(req, server_id, body):
    validation.validate({'os-getConsoleOutput': body},
                        schemas.console_output)
    instance = _authorized_instance(req, server_id, policies.CONSOLE_OUTPUT)
    length = body.get('length')
    length = None if length in (None, -1, '-1') else int(length)
    return wsgi.json_response({'output': req.compute_api.get_console_output(
        req.context, instance, length)})


def _image_response(req, image, location):
    """From 2.45 the new image's id in the body, before it a Location
    (when there is one)."""
    if req.is_version(schemas.SNAPSHOT_IMAGE_ID):
        return wsgi.json_response({'image_id': image['id']}, status=202)
    response = wsgi.empty_response(202)
    if location:
        response.headers['Location'] = location
    return response


def _create_image(req, server_id, body):
    validation.validate({'createImage': body}, schemas.create_image)
    instance = _authorized_instance(req, server_id, policies.CREATE_IMAGE)
    image = req.compute_api.snapshot(req.context, instance, body['name'],
                                     body.get('metadata'))
    return _image_response(req, image, '%s/v2/images/%s' % (
        req.conf.glance.endpoint.rstrip('/'), image['id']))


def _create_backup(req, server_id, body):
    validation.validate({'createBackup': body}, schemas.create_backup)
    rotation = int(body['rotation'])
    instance = _authorized_instance(req, server_id, policies.CREATE_BACKUP)
    image = req.compute_api.backup(req.context, instance, body['name'],
                                   body['backup_type'], rotation,
                                   body.get('metadata'))
    # Before 2.45 upstream links the backup as an image of the compute
    # API (not the Image API, as createImage does), and only when it is
    # kept (rotation above 0).
    return _image_response(req, image, req.link('images', image['id'])
                           if rotation > 0 else None)


def _reset_state(req, server_id, body):
    validation.validate({'os-resetState': body}, schemas.reset_state)
    instance = _authorized_instance(req, server_id, policies.RESET_STATE)
    req.compute_api.reset_state(req.context, instance, body['state'])
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


def _security_group_action(rule, method):
    """addSecurityGroup / removeSecurityGroup."""
    def handler(req, server_id, body):
        instance = _authorized_instance(req, server_id, rule)
        name = _security_group_name(body)
        getattr(req.compute_api, method)(req.context, instance, name)
        return wsgi.empty_response(202)
    return handler


def _rebuild(req, server_id, body):
    validation.validate({'rebuild': body}, schemas.rebuild(req.version))
    instance = _authorized_instance(req, server_id, policies.REBUILD)
    fields = {k: v for k, v in body.items()
              if k not in ('imageRef', 'adminPass')}
    instance, password = req.compute_api.rebuild(
        req.context, instance, body['imageRef'],
        admin_password=body.get('adminPass'), fields=fields)
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


def _unshelve(req, server_id, body):
    validation.validate({'unshelve': body}, schemas.unshelve(req.version))
    instance = _authorized_instance(req, server_id, policies.UNSHELVE)
    body = body if req.is_version(schemas.UNSHELVE_ZONE) and body else {}
    host = body.get('host')
    if host is not None:
        _authorize(req, policies.UNSHELVE_TO_HOST, instance)
    zone = body.get('availability_zone')
    req.compute_api.unshelve(
        req.context, instance, zone=zone, host=host,
        # 2.91: an explicit null zone unpins the instance from its zone.
        unpin='availability_zone' in body and zone is None)
    return wsgi.empty_response(202)


def _migrate(req, server_id, body):
    validation.validate({'migrate': body}, schemas.migrate(req.version))
    host = body.get('host') if req.is_version(
        schemas.MIGRATE_HOST) and body is not None else None
    instance = _authorized_instance(req, server_id, policies.MIGRATE)
    if host is not None:
        _authorize(req, policies.MIGRATE_HOST, instance)
    req.compute_api.migrate(req.context, instance, host)
    return wsgi.empty_response(202)


def _resize(req, server_id, body):
    validation.validate({'resize': body}, schemas.resize)
    instance = _authorized_instance(req, server_id, policies.RESIZE)
    # As upstream, a resize without OS-DCF:diskConfig turns it to MANUAL.
    req.compute_api.resize(
        req.context, instance, body['flavorRef'],
        auto_disk_config=body.get('OS-DCF:diskConfig') == 'AUTO')
    return wsgi.empty_response(202)


def _evacuate(req, server_id, body):
    """Rebuild the server on another host, its own being down (admin).

    200, and before 2.14 the new admin password (unless onSharedStorage,
    which keeps the disk and its password); from 2.14 no body.  The host,
    if named, must be a compute host other than the server's (the
    scheduler still checks it can take the server, unless forced:
    2.29-2.67)."""
    validation.validate({'evacuate': body}, schemas.evacuate(req.version))
    instance = _authorized_instance(req, server_id, policies.EVACUATE)
    host = body.get('host')
    force = False
    if req.is_version(schemas.EVACUATE_NO_SHARED_STORAGE):
        password = body.get('adminPass') or compute.generate_password()
    else:
        on_shared_storage = strutils.bool_from_string(
            body['onSharedStorage'], strict=True)
        if 'adminPass' in body and on_shared_storage:
            raise exception.Invalid("admin password can't be changed on "
                                    "existing disk")
        password = body.get('adminPass') or (
            None if on_shared_storage else compute.generate_password())
    if req.is_version(schemas.EVACUATE_FORCE) and not req.is_version(
            schemas.EVACUATE_NO_FORCE):
        force = strutils.bool_from_string(body.get('force', False),
                                          strict=True)
        if force and not host:
            raise exception.Invalid("Can't force to a non-provided "
                                    "destination")
    req.compute_api.evacuate(req.context, instance, host=host, force=force,
                             admin_password=password)
    if not req.is_version(schemas.EVACUATE_NO_SHARED_STORAGE) and \
            req.conf.api.enable_instance_password:
        return wsgi.json_response({'adminPass': password})
    return wsgi.empty_response(200)


ACTIONS = {
    'migrate': _migrate,
    'resize': _resize,
    'confirmResize': _simple_action(policies.CONFIRM_RESIZE,
                                    'confirm_resize', 204),
    'revertResize': _simple_action(policies.REVERT_RESIZE, 'revert_resize'),
    'evacuate': _evacuate,
    'os-migrateLive': server_migrate_live.migrate_live,
    'createImage': _create_image,
    'shelve': _simple_action(policies.SHELVE, 'shelve'),
    'shelveOffload': _simple_action(policies.SHELVE_OFFLOAD,
                                    'shelve_offload'),
    'unshelve': _unshelve,
    'rebuild': _rebuild,
    'forceDelete': servers.force_delete,
    'os-stop': _simple_action(policies.STOP, 'stop'),
    'os-start': _simple_action(policies.START, 'start'),
    'reboot': _reboot,
    'pause': _simple_action(policies.PAUSE, 'pause'),
    'unpause': _simple_action(policies.UNPAUSE, 'unpause'),
    'suspend': _simple_action(policies.SUSPEND, 'suspend'),
    'resume': _simple_action(policies.RESUME, 'resume'),
    'rescue': _rescue,
    'unrescue': _simple_action(policies.UNRESCUE, 'unrescue'),
    'lock': _lock,
    'unlock': _unlock,
    'os-getConsoleOutput': _console_output,
    'os-getVNCConsole': remote_consoles.get_vnc_console,
    'createBackup': _create_backup,
    'os-resetState': _reset_state,
    'restore': _simple_action(policies.RESTORE, 'restore'),
    'trigger_crash_dump': _trigger_crash_dump,
    'injectNetworkInfo': _simple_action(policies.INJECT_NETWORK_INFO,
                                        'inject_network_info'),
    'addSecurityGroup': _security_group_action(
        policies.ADD_SECURITY_GROUP, 'add_security_group'),
    'removeSecurityGroup': _security_group_action(
        policies.REMOVE_SECURITY_GROUP, 'remove_security_group'),
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
