"""POST /servers/{id}/action {"os-migrateLive": {...}}: live migration.

Admins name the host (or not); project managers may only let the
scheduler choose.  The API checks the state (the transitions table's
os-migrateLive row: 409), the named host (400 when it is no compute host
or the server's own), sets task_state migrating and records the
live-migration action; the conductor does the rest
(nova.conductor.live_migrate).  Before 2.34 the API waits for the
conductor's pre-checks, so their failure is this request's 400; from 2.34
it answers 202 at once and a failed pre-check shows as the action's
Error event and a fault, the server back to where it was.
"""

from oslo_utils import strutils

from nova.api.handlers import servers
from nova.api.policies import server_migrate_live as policies
from nova.api import policy
from nova.api.schemas import server_migrate_live as schemas
from nova.api import validation
from nova.api import wsgi
from nova.compute import transitions
from nova import exception

OPERATION = 'os-migrateLive'
ACTION = 'live-migration'


def _arguments(req, body):
    """(host, block_migration (True, False, None: auto), force)."""
    host = body.get('host')
    block_migration = body['block_migration']
    if req.is_version(schemas.BLOCK_MIGRATION_AUTO) and \
            block_migration == 'auto':
        block_migration = None
    else:
        block_migration = strutils.bool_from_string(block_migration,
                                                    strict=True)
    # disk_over_commit (before 2.25) is validated and, as upstream's
    # libvirt driver does today, not used.
    force = False
    if req.is_version(schemas.FORCE) and not req.is_version(
            schemas.NO_FORCE):
        force = strutils.bool_from_string(body.get('force', False),
                                          strict=True)
        if force and not host:
            raise exception.Invalid("Can't force to a non-provided "
                                    "destination")
    return host, block_migration, force


def _check_host(req, instance, host):
    try:
        req.conductor.service_get_by_host_and_binary(req.context, host,
                                                     'nova-compute')
    except exception.NotFound:
        raise exception.Invalid('Compute host %s could not be found.'
                                % host)
    if host == instance['host']:
        raise exception.UnableToMigrateToSelf(instance_id=instance['uuid'],
                                              host=host)


def _accept(req, instance):
    """task_state migrating, by compare-and-swap; the action recorded."""
    ctxt = req.context
    row = transitions.check(OPERATION, instance, ctxt.is_admin, OPERATION)
    try:
        req.conductor.instance_update(
            ctxt, instance['uuid'], {'task_state': row.accept_task},
            expected_task_state=list(row.task_states))
    except exception.UnexpectedTaskStateError:
        current = req.conductor.instance_get(ctxt, instance['uuid'])
        raise exception.InstanceInvalidState(
            method=OPERATION, instance_uuid=instance['uuid'],
            attr='task_state', state=current['task_state'])
    req.conductor.action_start(ctxt, ACTION, instance['uuid'])


def migrate_live(req, server_id, body):
    validation.validate({OPERATION: body}, schemas.migrate_live(req.version))
    ctxt = req.context
    instance = servers.get_instance(req, server_id)
    host, block_migration, force = _arguments(req, body)
    policy.authorize(ctxt, policies.MIGRATE_LIVE_HOST if host
                     else policies.MIGRATE_LIVE,
                     {'project_id': instance['project_id']})
    transitions.check(OPERATION, instance, ctxt.is_admin, OPERATION)
    if host:
        _check_host(req, instance, host)
    _accept(req, instance)
    if req.is_version(schemas.ASYNC_PRE_CHECKS):
        req.conductor.live_migrate_instance(
            ctxt, instance['uuid'], host=host,
            block_migration=block_migration, force=force)
    else:
        req.conductor.check_and_live_migrate_instance(
            ctxt, instance['uuid'], host=host,
            block_migration=block_migration, force=force)
    return wsgi.empty_response(202)
