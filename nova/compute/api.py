"""The compute API: what a server request does below HTTP.

One ``API`` object, built once by the app factory (nova.api.deploy) with
the conductor client, the compute RPC client
(nova.compute.rpcapi.ComputeAPI), the Image API, the network API and the
configuration; handlers reach it as ``req.compute_api`` after they have
read the instance and checked the policy.

Every state-changing action follows one recipe (``_accept``): check the
transitions table (409 naming the action and the state), claim the accept
task_state with a compare-and-swap, record the instance action, then cast
to the instance's compute (or hand the flow to the conductor).
"""

import re

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import aggregates
from nova.compute import consoles
from nova.compute import create as create_checks
from nova.compute import flavors
from nova.compute import image_meta
from nova.compute import interfaces
from nova.compute import keypairs
from nova.compute import server_groups
from nova.compute import states
from nova.compute import transitions
from nova import exception
from nova import quota
from nova import servicegroup

LOG = logging.getLogger(__name__)

# Control characters other than tab and newline are dropped from consoles.
_CONTROL = re.compile('[\x00-\x08\x0b-\x1f\x7f]')

# Rebuild's body fields -> the instance's columns.
_REBUILD_FIELDS = {'name': 'display_name',
                   'description': 'display_description',
                   'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6',
                   'user_data': 'user_data', 'hostname': 'hostname',
                   'metadata': 'metadata'}
# PUT /servers/{id}'s.
_UPDATE_FIELDS = {'name': 'display_name',
                  'description': 'display_description',
                  'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6',
                  'hostname': 'hostname'}

generate_password = create_checks.generate_password


def _cast_action(operation, rpc_method):
    """An action that claims operation and casts rpc_method (instance's
    host, its uuid) to its compute, nothing more."""
    def action(self, context, instance):
        instance = self._accept(context, instance, operation)
        getattr(self.compute_rpcapi, rpc_method)(
            context, instance['host'], instance['uuid'])
    action.__name__ = operation
    action.__doc__ = 'The %s action: %s on its compute.' % (operation,
                                                           rpc_method)
    return action


class API:
    """The servers' business, for the API's handlers.  Its ``flavors``
    (nova.compute.flavors.FlavorAPI), ``keypairs``
    (nova.compute.keypairs.KeypairAPI) and ``server_groups``
    (nova.compute.server_groups.ServerGroupAPI) and ``interfaces``
    (nova.compute.interfaces.InterfaceAPI) have those resources'."""

    def __init__(self, conf, conductor, compute_rpcapi, image_api,
                 network_api, image_metadata=None):
        self.conf = conf
        self.conductor = conductor
        self.compute_rpcapi = compute_rpcapi
        self.image_api = image_api
        self.network_api = network_api
        # What Glance said lately of an image (nova.api.image_metadata).
        self.image_metadata = image_metadata
        self.flavors = flavors.FlavorAPI(conductor)
        self.keypairs = keypairs.KeypairAPI(conf, conductor)
        self.server_groups = server_groups.ServerGroupAPI(conf, conductor)
        self.interfaces = interfaces.InterfaceAPI(self)

    # -- the recipe ------------------------------------------------------

    def _accept(self, context, instance, operation, name=None,
                changes=None, quota_deltas=None):
        """Check and claim operation; returns the updated instance.

        name: the action recorded and named in a refusal (operation's
        own by default).  changes: what the accept records besides the
        task state.  quota_deltas: the cores and ram a flavor change
        adds, checked against the quota in the transaction of the claim.
        """
        name = name or operation
        row = transitions.check(operation, instance, context.is_admin, name)
        expected = list(row.task_states) if row.task_states is not None \
            else None
        values = {'task_state': row.accept_task} if row.accept_task else {}
        if values and changes:
            values.update(changes)
        if values:
            try:
                if quota_deltas:
                    instance = self.conductor.instance_update_within_quota(
                        context, instance['uuid'], values,
                        quota.defaults(self.conf), quota_deltas,
                        expected_task_state=expected)
                else:
                    instance = self.conductor.instance_update(
                        context, instance['uuid'], values,
                        expected_task_state=expected)
            except exception.UnexpectedTaskStateError:
                current = self.conductor.instance_get(context,
                                                      instance['uuid'])
                raise exception.InstanceInvalidState(
                    method=name, instance_uuid=instance['uuid'],
                    attr='task_state', state=current['task_state'])
        self.conductor.action_start(context, name, instance['uuid'])
        return instance

    def compute_is_up(self, context, host):
        try:
            service = self.conductor.service_get_by_host_and_binary(
                context, host, 'nova-compute')
        except exception.NotFound:
            return False
        return servicegroup.service_is_up(service,
                                          self.conf.service_down_time)

    def _check_compute_host(self, context, host):
        """400 unless host is a compute host."""
        try:
            self.conductor.service_get_by_host_and_binary(context, host,
                                                          'nova-compute')
        except exception.NotFound:
            raise exception.Invalid('Compute host %s could not be found.'
                                    % host)

    # -- create, update, delete -------------------------------------------

    def create(self, context, body, hints, authorize_forced_host,
               authorize_requested_destination):
        """The instances of one POST /servers (body: its 'server');
        returns (instances, admin_password, reservation_id).  The two
        callbacks check the policy of a forced host, of a requested
        destination, when the body asks for one."""
        return create_checks.create(
            self.conf, self.conductor, self.image_api, self.network_api,
            context, body, hints, authorize_forced_host,
            authorize_requested_destination,
            image_metadata=self.image_metadata)

    def update(self, context, instance, body):
        """PUT /servers/{id}: its body's fields; the updated instance."""
        values = {column: body[key] for key, column in _UPDATE_FIELDS.items()
                  if key in body}
        if values.get('access_ip_v6'):
            values['access_ip_v6'] = create_checks.normalize_ipv6(
                values['access_ip_v6'])
        if 'OS-DCF:diskConfig' in body:
            values['auto_disk_config'] = body['OS-DCF:diskConfig'] == 'AUTO'
        if not values:
            return instance
        return self.conductor.instance_update(context, instance['uuid'],
                                              values)

    def delete(self, context, instance):
        """DELETE: a soft delete when [DEFAULT] reclaim_instance_interval
        is set, as upstream."""
        transitions.check('delete', instance, context.is_admin)
        self._delete(context, instance,
                     soft=self.conf.reclaim_instance_interval > 0)

    def force_delete(self, context, instance):
        transitions.check('forceDelete', instance, context.is_admin)
        self._delete(context, instance)

    def _delete(self, context, instance, soft=False):
        """Delete the instance, locally when no compute can (never
        scheduled, or its host is down), else through its compute.

        soft: a soft delete instead, for an instance that was launched
        (one never launched is deleted at once, as upstream).
        """
        if instance['task_state'] in (states.task.DELETING,
                                      states.task.SOFT_DELETING):
            return
        if soft and instance.get('launched_at'):
            return self._soft_delete(context, instance)
        uuid = instance['uuid']
        instance = self.conductor.instance_update(
            context, uuid, {'task_state': states.task.DELETING})
        self.conductor.action_start(context, 'delete', uuid)
        host = instance['host']
        if host and self.compute_is_up(context, host):
            LOG.info('Asking %s to delete the instance', host,
                     instance_uuid=uuid)
            self.compute_rpcapi.terminate_instance(context, host, uuid)
            return
        LOG.info('Deleting the instance locally (%s)',
                 'its host %s is down' % host if host else 'never scheduled',
                 instance_uuid=uuid)
        self.network_api.deallocate_for_instance(context, uuid)
        self.conductor.allocations_delete(context, uuid)
        self.conductor.instance_destroy(context, uuid)

    def _soft_delete(self, context, instance):
        """SOFT_DELETED: the compute powers the guest off and keeps it
        (and its address and resources) until a restore, a forceDelete or
        the reclaim; locally when its host is down.  The action is
        'delete'."""
        uuid = instance['uuid']
        instance = self.conductor.instance_update(
            context, uuid, {'task_state': states.task.SOFT_DELETING,
                            'deleted_at': timeutils.utcnow()})
        self.conductor.action_start(context, 'delete', uuid)
        host = instance['host']
        if host and self.compute_is_up(context, host):
            LOG.info('Asking %s to soft delete the instance', host,
                     instance_uuid=uuid)
            self.compute_rpcapi.soft_delete_instance(context, host, uuid)
            return
        LOG.info('Soft deleting the instance locally (its host %s is '
                 'down)', host, instance_uuid=uuid)
        self.conductor.instance_update(
            context, uuid,
            {'vm_state': states.SOFT_DELETED, 'task_state': None},
            expected_task_state=[states.task.SOFT_DELETING])

    def restore(self, context, instance):
        """Undo a soft delete.  Soft-deleted servers still count against
        the quota (their rows are live), so it needs no quota check."""
        transitions.check('restore', instance, context.is_admin, 'restore')
        if not instance['host']:
            self.conductor.action_start(context, 'restore', instance['uuid'])
            self.conductor.instance_update(
                context, instance['uuid'],
                {'vm_state': states.ACTIVE, 'task_state': None,
                 'deleted_at': None}, expected_task_state=[None])
            return
        instance = self._accept(context, instance, 'restore')
        self.conductor.instance_update(context, instance['uuid'],
                                       {'deleted_at': None})
        self.compute_rpcapi.restore_instance(context, instance['host'],
                                             instance['uuid'])

    # -- power and the guest ----------------------------------------------

    stop = _cast_action('stop', 'stop_instance')
    start = _cast_action('start', 'start_instance')
    pause = _cast_action('pause', 'pause_instance')
    unpause = _cast_action('unpause', 'unpause_instance')
    suspend = _cast_action('suspend', 'suspend_instance')
    resume = _cast_action('resume', 'resume_instance')
    unrescue = _cast_action('unrescue', 'unrescue_instance')
    shelve_offload = _cast_action('shelveOffload', 'shelve_offload_instance')

    def reboot(self, context, instance, hard):
        instance = self._accept(context, instance,
                                'reboot_hard' if hard else 'reboot',
                                'reboot')
        self.compute_rpcapi.reboot_instance(
            context, instance['host'], instance['uuid'],
            'HARD' if hard else 'SOFT')

    def rescue(self, context, instance, admin_password=None,
               rescue_image_ref=None):
        """Returns the rescue image's password (made up when not given)."""
        password = admin_password or generate_password()
        instance = self._accept(context, instance, 'rescue')
        self.compute_rpcapi.rescue_instance(
            context, instance['host'], instance['uuid'], password,
            rescue_image_ref)
        return password

    def trigger_crash_dump(self, context, instance):
        transitions.check('trigger_crash_dump', instance, context.is_admin,
                          'trigger_crash_dump')
        if not instance['host']:
            raise exception.InstanceNotReady(instance_uuid=instance['uuid'])
        self.conductor.action_start(context, 'trigger_crash_dump',
                                    instance['uuid'])
        self.compute_rpcapi.trigger_crash_dump(context, instance['host'],
                                               instance['uuid'])

    def inject_network_info(self, context, instance):
        transitions.check('injectNetworkInfo', instance, context.is_admin)
        self.compute_rpcapi.inject_network_info(context, instance['host'],
                                                instance['uuid'])

    def get_console_output(self, context, instance, length=None):
        """The console's last length lines (all of them: None)."""
        transitions.check('os-getConsoleOutput', instance, context.is_admin)
        output = self.compute_rpcapi.get_console_output(
            context, instance['host'], instance['uuid'])
        output = _CONTROL.sub('', output)
        if length is not None:
            output = '\n'.join(output.split('\n')[-length:]) if length \
                else ''
        return output

    def get_remote_console(self, context, instance, protocol,
                           console_type):
        """{'url'} of the guest's console, with a fresh token
        (nova.compute.consoles)."""
        return consoles.get_console(self.conductor, self.compute_rpcapi,
                                    context, instance, protocol,
                                    console_type)

    def get_diagnostics(self, context, instance, legacy):
        """The guest's figures, asked of its compute (legacy: in the
        driver's own form)."""
        if not instance['host']:
            raise exception.InstanceNotReady(instance_uuid=instance['uuid'])
        return self.compute_rpcapi.get_instance_diagnostics(
            context, instance['host'], instance['uuid'], legacy=legacy)

    # -- administrative state ----------------------------------------------

    def lock(self, context, instance, reason=None):
        self._accept(context, instance, 'lock')
        system_metadata = dict(instance.get('system_metadata') or {})
        system_metadata.pop('locked_reason', None)
        if reason:
            system_metadata['locked_reason'] = reason
        owner = context.project_id == instance['project_id']
        self._api_event(context, instance, 'api_lock', {
            'locked': True, 'locked_by': 'owner' if owner else 'admin',
            'system_metadata': system_metadata})

    def unlock(self, context, instance):
        self._accept(context, instance, 'unlock')
        system_metadata = dict(instance.get('system_metadata') or {})
        system_metadata.pop('locked_reason', None)
        self._api_event(context, instance, 'api_unlock', {
            'locked': False, 'locked_by': None,
            'system_metadata': system_metadata})

    def _api_event(self, context, instance, event, values):
        self.conductor.event_start(context, instance['uuid'], event, None)
        self.conductor.instance_update(context, instance['uuid'], values)
        self.conductor.event_finish(context, instance['uuid'], event,
                                    'Success')

    def reset_state(self, context, instance, state):
        """os-resetState: 'error' or 'active', no task."""
        transitions.check('resetState', instance, context.is_admin)
        self.conductor.action_start(context, 'resetState', instance['uuid'])
        self.conductor.instance_update(context, instance['uuid'], {
            'vm_state': states.ERROR if state == 'error' else states.ACTIVE,
            'task_state': None})

    def add_security_group(self, context, instance, name):
        transitions.check('securityGroups', instance, context.is_admin)
        self.network_api.add_to_instance(context, instance, name)

    def remove_security_group(self, context, instance, name):
        transitions.check('securityGroups', instance, context.is_admin)
        self.network_api.remove_from_instance(context, instance, name)

    # -- metadata and tags -------------------------------------------------
    # Each change is one conductor call whose transaction checks the
    # instance's state again (the transitions table's row, 409 naming
    # method); the check here first makes a request bound to fail cost
    # no write.  An admin's change passes a lock.

    def update_metadata(self, context, instance, metadata, delete=False):
        """Merge metadata into the instance's (delete: it becomes the
        whole metadata), within the metadata_items quota (403); returns
        the instance's metadata."""
        method = 'update metadata'
        transitions.check('metadata', instance, context.is_admin, method)
        return self.conductor.instance_metadata_update(
            context, instance['uuid'], metadata, delete=delete,
            max_items=self.conf.quota.metadata_items, api_method=method,
            lock_override=context.is_admin)

    def delete_metadata_item(self, context, instance, key):
        if key not in (instance['metadata'] or {}):
            raise exception.MetadataItemNotFound()
        method = 'delete metadata'
        transitions.check('metadata', instance, context.is_admin, method)
        self.conductor.instance_metadata_delete(
            context, instance['uuid'], key, api_method=method,
            lock_override=context.is_admin)

    def set_tags(self, context, instance, tags, method='update tags'):
        """The tags become the instance's (each once); returns them."""
        transitions.check('tags', instance, context.is_admin, method)
        return self.conductor.instance_tags_set(
            context, instance['uuid'], tags, api_method=method,
            lock_override=context.is_admin)

    def add_tag(self, context, instance, tag, max_tags):
        """Whether tag was added (False: the instance had it); at most
        max_tags."""
        transitions.check('tags', instance, context.is_admin, 'update tag')
        return self.conductor.instance_tag_add(
            context, instance['uuid'], tag, max_tags,
            api_method='update tag', lock_override=context.is_admin)

    def delete_tag(self, context, instance, tag):
        transitions.check('tags', instance, context.is_admin, 'delete tag')
        self.conductor.instance_tag_delete(
            context, instance['uuid'], tag, api_method='delete tag',
            lock_override=context.is_admin)

    # -- images of the instance --------------------------------------------

    def _with_new_image(self, context, instance, operation, meta):
        """Create the image (meta) an operation fills, then claim the
        operation; the image goes again when the claim is refused."""
        image = self.image_api.create(context, meta)
        try:
            instance = self._accept(context, instance, operation)
        except exception.NovaException:
            self.image_api.delete(context, image['id'])
            raise
        return instance, image

    def snapshot(self, context, instance, name, metadata=None):
        """createImage; returns the new image."""
        transitions.check('createImage', instance, context.is_admin,
                          'createImage')
        instance, image = self._with_new_image(
            context, instance, 'createImage', image_meta.snapshot_image_meta(
                context, instance, name, 'snapshot', metadata))
        self.compute_rpcapi.snapshot_instance(
            context, instance['host'], instance['uuid'], image['id'])
        return image

    def backup(self, context, instance, name, backup_type, rotation,
               metadata=None):
        """createBackup; returns the new image."""
        transitions.check('createBackup', instance, context.is_admin,
                          'createBackup')
        instance, image = self._with_new_image(
            context, instance, 'createBackup', image_meta.snapshot_image_meta(
                context, instance, name, 'backup', metadata,
                backup_type=backup_type))
        self.compute_rpcapi.backup_instance(
            context, instance['host'], instance['uuid'], image['id'],
            backup_type, rotation)
        return image

    def shelve(self, context, instance):
        transitions.check('shelve', instance, context.is_admin, 'shelve')
        instance, image = self._with_new_image(
            context, instance, 'shelve',
            image_meta.shelved_image_meta(instance))
        self.compute_rpcapi.shelve_instance(
            context, instance['host'], instance['uuid'], image['id'])

    def unshelve(self, context, instance, zone=None, unpin=False,
                 host=None):
        """zone: the one to unshelve in; unpin (2.91, an explicit null
        zone): free of the one it was held to; host: the compute asked
        for (its policy checked by the caller)."""
        if (zone or unpin or host) and \
                instance['vm_state'] != states.SHELVED_OFFLOADED:
            raise exception.Conflict(
                'The availability_zone or host can only be given to '
                'unshelve a shelved offloaded instance.')
        if zone:
            create_checks.check_zone_available(self.conf, self.conductor,
                                               context, zone)
        if host is not None:
            self._check_compute_host(context, host)
            # The zone named, else the one the instance is held to (unless
            # unpinned) must be the host's, as upstream checks.
            held = zone or (None if unpin else (
                instance['system_metadata'] or {}).get(
                    aggregates.REQUESTED_ZONE_KEY))
            if held and held != create_checks.host_zone(
                    self.conf, self.conductor, context, host):
                raise exception.Conflict(
                    'Host "%s" is not in the availability zone "%s".'
                    % (host, held))
        instance = self._accept(context, instance, 'unshelve')
        self.conductor.unshelve_instance(context, instance['uuid'], zone,
                                         host=host, unpin_zone=unpin)

    def rebuild(self, context, instance, image_ref, admin_password=None,
                fields=None):
        """Rebuild from image_ref; fields: the body's other fields (name,
        metadata, key_name...).  Returns (instance, admin password)."""
        fields = fields or {}
        transitions.check('rebuild', instance, context.is_admin, 'rebuild')
        quota.check_metadata(self.conf, self.conductor, context,
                             fields.get('metadata'), instance['project_id'],
                             instance['user_id'])
        image = create_checks.get_image(self.image_api, context, image_ref,
                                        instance['flavor'])
        password = admin_password or generate_password()
        values = {column: fields[key]
                  for key, column in _REBUILD_FIELDS.items() if key in fields}
        if values.get('access_ip_v6'):
            values['access_ip_v6'] = create_checks.normalize_ipv6(
                values['access_ip_v6'])
        if 'OS-DCF:diskConfig' in fields:
            values['auto_disk_config'] = \
                fields['OS-DCF:diskConfig'] == 'AUTO'
        if 'key_name' in fields:
            values['key_name'] = fields['key_name']
            values['key_data'] = None
            if fields['key_name']:
                try:
                    values['key_data'] = self.conductor.keypair_get(
                        context, context.user_id,
                        fields['key_name'])['public_key']
                except exception.KeypairNotFound:
                    raise exception.Invalid('Invalid key_name provided.')
        system_metadata = dict(instance.get('system_metadata') or {})
        system_metadata.update(image_meta.image_system_metadata(image))
        properties = image.get('properties') or {}
        values.update(image_ref=image['id'], system_metadata=system_metadata,
                      kernel_id=properties.get('kernel_id'),
                      ramdisk_id=properties.get('ramdisk_id'))
        instance = self._accept(context, instance, 'rebuild')
        instance = self.conductor.instance_update(context, instance['uuid'],
                                                  values)
        self.compute_rpcapi.rebuild_instance(
            context, instance['host'], instance['uuid'],
            {'id': image['id'], 'properties': properties}, password)
        return instance, password

    # -- moves ---------------------------------------------------------------

    def _move(self, context, instance, operation, flavor, host=None,
              changes=None, quota_deltas=None):
        transitions.check(operation, instance, context.is_admin, operation)
        if not self.compute_is_up(context, instance['host']):
            raise exception.Conflict('Service is unavailable at this time.')
        if host is not None:
            if host == instance['host']:
                raise exception.Invalid('The target host %s is the current '
                                        'host of the instance.' % host)
            self._check_compute_host(context, host)
        instance = self._accept(context, instance, operation,
                                changes=changes, quota_deltas=quota_deltas)
        self.conductor.migrate_server(context, instance['uuid'], flavor,
                                      host)

    def migrate(self, context, instance, host=None):
        """A cold migration (to host, when named: its policy checked by
        the caller)."""
        self._move(context, instance, 'migrate', None, host)

    def resize(self, context, instance, flavor_ref, auto_disk_config=False):
        """A resize to flavor_ref; what it adds of cores and ram must be
        within the quota (OverQuota, 403, as upstream)."""
        flavor = create_checks.get_flavor(self.conductor, context,
                                          flavor_ref)
        if flavor['flavorid'] == instance['flavor']['flavorid']:
            raise exception.Invalid('When resizing, instances must change '
                                    'flavor!')
        if flavor['root_gb'] < (instance['flavor'].get('root_gb') or 0):
            raise exception.Invalid('Resizing to a smaller disk flavor is '
                                    'not allowed.')
        new_flavor = create_checks.flavor_copy(flavor)
        # The flavor to be counts in the quota from the accept on (the
        # conductor records it again with the old one).
        system_metadata = dict(instance.get('system_metadata') or {},
                               new_flavor=new_flavor)
        self._move(context, instance, 'resize', new_flavor,
                   changes={'auto_disk_config': auto_disk_config,
                            'system_metadata': system_metadata},
                   quota_deltas=quota.upsize_deltas(new_flavor,
                                                    instance['flavor']))

    def _finished_migration(self, context, instance):
        try:
            return self.conductor.migration_get_by_instance_and_status(
                context, instance['uuid'], 'finished')
        except exception.MigrationNotFound:
            raise exception.Invalid('Instance has not been resized.')

    def confirm_resize(self, context, instance):
        transitions.check('confirmResize', instance, context.is_admin,
                          'confirmResize')
        migration = self._finished_migration(context, instance)
        if not self.compute_is_up(context, migration['source_compute']):
            raise exception.Conflict('Service is unavailable at this time.')
        self.conductor.migration_update(context, migration['uuid'],
                                        {'status': 'confirming'})
        self._accept(context, instance, 'confirmResize')
        self.compute_rpcapi.confirm_resize(
            context, migration['source_compute'], instance['uuid'],
            migration['uuid'])

    def revert_resize(self, context, instance):
        """A revert of a resize down grows the instance back: as
        upstream, it needs the quota for that."""
        transitions.check('revertResize', instance, context.is_admin,
                          'revertResize')
        migration = self._finished_migration(context, instance)
        old_flavor = (instance.get('system_metadata') or {}).get(
            'old_flavor') or {}
        instance = self._accept(
            context, instance, 'revertResize',
            quota_deltas=quota.upsize_deltas(old_flavor, instance['flavor']))
        self.conductor.migration_update(context, migration['uuid'],
                                        {'status': 'reverting'})
        self.compute_rpcapi.revert_resize(
            context, migration['dest_compute'], instance['uuid'],
            migration['uuid'])

    def evacuate(self, context, instance, host=None, force=False,
                 admin_password=None):
        """Rebuild the instance on another host, its own being down.  The
        host, if named, must be a compute host other than the
        instance's."""
        if host is not None:
            try:
                self.conductor.service_get_by_host_and_binary(
                    context, host, 'nova-compute')
            except exception.NotFound:
                raise exception.NotFound('Compute host %s not found.'
                                         % host)
            if host == instance['host']:
                raise exception.Invalid("The target host can't be the same "
                                        "one.")
        transitions.check('evacuate', instance, context.is_admin, 'evacuate')
        if self.compute_is_up(context, instance['host']):
            # As upstream (ComputeServiceInUse): 400, not 409.
            raise exception.ComputeServiceInUse(host=instance['host'])
        instance = self._accept(context, instance, 'evacuate')
        self.conductor.evacuate_instance(context, instance['uuid'],
                                         host=host, force=force,
                                         admin_password=admin_password)

    # -- live migrations under way ------------------------------------------

    def live_migration(self, context, instance, migration_id):
        """The instance's live migration migration_id;
        MigrationNotFoundForInstance (404) when it has none of that id."""
        for migration in self.conductor.migrations_get_all(
                context, instance_uuid=instance['uuid'],
                migration_type='live-migration'):
            if str(migration['id']) == str(migration_id):
                return migration
        raise exception.MigrationNotFoundForInstance(
            migration_id=migration_id, instance_id=instance['uuid'])

    def live_migration_force_complete(self, context, instance,
                                      migration_id):
        """The source pauses the guest (or switches to post-copy) so the
        copy of a running live migration ends."""
        transitions.check('force_complete', instance, context.is_admin,
                          'force_complete')
        try:
            migration = self.live_migration(context, instance, migration_id)
        except exception.MigrationNotFoundForInstance as e:
            # 400, as upstream's force_complete answers it.
            raise exception.Invalid(e.format_message())
        if migration['status'] != 'running':
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance['uuid'],
                state=migration['status'], method='force complete')
        self.conductor.action_start(context, 'live_migration_force_complete',
                                    instance['uuid'])
        self.compute_rpcapi.live_migration_force_complete(
            context, migration['source_compute'], instance['uuid'],
            migration['uuid'])

    def live_migration_abort(self, context, instance, migration_id,
                             abortable=('running',)):
        """Abort a live migration in one of the abortable statuses: the
        guest stays on the source."""
        method = 'abort live migration'
        transitions.check(method, instance, context.is_admin, method)
        migration = self.live_migration(context, instance, migration_id)
        if migration['status'] not in abortable:
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance['uuid'],
                state=migration['status'], method=method)
        self.conductor.action_start(context, 'live_migration_cancel',
                                    instance['uuid'])
        self.compute_rpcapi.live_migration_abort(
            context, migration['source_compute'], instance['uuid'],
            migration['uuid'])

    # -- other services' news, hosts ----------------------------------------

    def external_instance_event(self, context, events):
        """Send each event ({'server_uuid', 'name', 'tag', 'status'}) to
        its server's compute.  Returns each event's code, as upstream:
        200 sent, 404 no such server, 422 a server with no host yet;
        NoInstanceForEvents (404) when none was sent."""
        uuids = sorted({e['server_uuid'] for e in events})
        instances = {i['uuid']: i for i in self.conductor.instance_get_all(
            context, filters={'uuids': uuids},
            columns=('uuid', 'host', 'vm_state', 'task_state'))}
        codes, accepted = [], {}
        for event in events:
            instance = instances.get(event['server_uuid'])
            if instance is None:
                code = 404
            elif not instance['host']:
                code = 422
            else:
                code = 200
                accepted.setdefault(
                    (instance['host'], instance['uuid']), []).append(
                        {'name': event['name'], 'tag': event.get('tag'),
                         'status': event.get('status', 'completed')})
            if code != 200:
                LOG.debug('Dropping event %s:%s for instance %s (code %d)',
                          event['name'], event.get('tag'),
                          event['server_uuid'], code)
            codes.append(code)
        if not accepted:
            raise exception.NoInstanceForEvents()
        for (host, uuid), sent in accepted.items():
            LOG.info('Creating events %s for instance %s on %s',
                     ', '.join('%s:%s' % (e['name'], e['tag'])
                               for e in sent), uuid, host)
            self.compute_rpcapi.external_instance_event(context, host, uuid,
                                                        sent)
        return codes

    def get_host_uptime(self, context, host):
        """The host's uptime line, asked of its compute."""
        try:
            return self.compute_rpcapi.get_host_uptime(context, host)
        except exception.NotSupportedByDriver:
            raise exception.NotSupportedByDriver(
                'Virt driver does not implement uptime function.')
