"""Client side of the conductor RPC API.

The conductor is the only service with database credentials; every other
service reads and writes through these calls.  It also runs the flows that
span services (build: schedule, then cast to the chosen compute).

Version history:

    1.0 - Initial version: services, flavors, key pairs.
    1.1 - Instances, actions and events, faults, compute nodes,
          allocations, fixed IPs, quotas; schedule_and_build_instances
          and build_instances (reschedule).
    1.2 - unshelve_instance.
    1.3 - migrate_server; migrations; allocations_move;
          compute_node_get_by_host_and_nodename.
    1.4 - instance_update_and_event, instance_get_with_host_services;
          instance_get_all columns and json_as_text.
    1.5 - instance_get_all as_table and locked_reason;
          instance_get_all_with_services; instance_update_with_fixed_ip.
    1.6 - instance_get_all as_table='json'.
    1.7 - instance_build_networking.
    1.8 - instance_build_networking spawning.
    1.9 - instances_create min_count; fixed_ip_allocate address.
    1.10 - instance_metadata_update, instance_metadata_delete,
           instance_tags_set, instance_tag_add, instance_tag_delete;
           instance_get_all tag filters (tags, tags-any, not-tags,
           not-tags-any).
    1.11 - instance_get_active_by_window (os-simple-tenant-usage).
    1.12 - fixed_ip_get_all (the flat network's DHCP host).
    1.13 - Quotas (os-quota-sets, os-quota-class-sets): quota_get,
           quota_update, quota_destroy_all, quota_class_get,
           quota_class_update; keypair_create project_id and
           quota_defaults (the key_pairs check in its transaction);
           instances_create also holds a user to its own limits and the
           metadata to metadata_items; quota_get_all includes the class
           'default''s limits.
    1.14 - flavor_extra_specs_update, flavor_extra_spec_delete,
           flavor_access_add, flavor_access_remove.
    1.15 - Host aggregates: aggregate_create, aggregate_get,
           aggregate_get_all, aggregate_update, aggregate_metadata_set,
           aggregate_delete, aggregate_host_add, aggregate_host_remove;
           availability_zones_by_host.
    1.16 - server groups: server_group_create, server_group_get,
           server_group_get_all, server_group_delete,
           server_group_get_by_instance; instances_create server_group.
    1.19 - instance_abort (a restarted compute ends the move it was
           interrupted in).
    1.20 - unshelve_instance takes host and unpin_zone (2.91).
    1.23 - evacuate_instance.
    1.25 - live_migrate_instance, check_and_live_migrate_instance.
    1.26 - instance_update_within_quota (resize and revert quota).
    1.27 - Console tokens (console_rpcapi.ConsoleAuthAPI):
           console_auth_token_create, console_auth_token_validate.
    1.28 - The Placement-compatible API's reads (placement_rpcapi.READS).
"""

import datetime
import functools
import json

import orjson

from nova.compute import states
from nova.conductor import aggregate_rpcapi
from nova.conductor import console_rpcapi
from nova.conductor import live_migrate_rpcapi
from nova.conductor import placement_rpcapi as placement
from nova.conductor import retry
from nova import rpc

TOPIC = 'conductor'
# The JSON columns of an instance (nova.db.models.Instance): text on the
# wire in instance_get_all, decoded by the client.
INSTANCE_JSON_COLUMNS = ('flavor', 'system_metadata', 'network_info',
                         'addresses', 'security_groups', 'block_device_mapping',
                         'scheduler_hints', 'tags')
# The datetime columns: ISO 8601 strings on the wire in instance_get_all.
INSTANCE_DATETIME_COLUMNS = ('created_at', 'updated_at', 'deleted_at',
                             'launched_at', 'terminated_at')
VERSION = '1.28'

# What may be sent again when the conductor did not answer in time
# (nova.conductor.retry): the caller cannot know whether the lost attempt
# ran, so only a call whose second run changes nothing is repeated.
READ = 'read'
# A write that leaves the same result however often it runs: it sets
# values, merges, or finds what its first run made.
IDEMPOTENT = 'idempotent'
# A compare-and-swap on an instance's state: a second run after a first
# that was applied is refused, so the instance is read back (retry.call).
CAS = 'cas'
# Sent once: a second run would create a second row, or fail (not found,
# already there) where the first succeeded.
ONCE = 'once'
# Casts: nothing waits for an answer, so nothing times out.
CAST = 'cast'
RETRIED = frozenset((READ, IDEMPOTENT, CAS))

# Every method of ConductorAPI (a unit test keeps the table complete).
CALLS = {
    # A caller of ping waits its own timeout and loops (service start).
    'ping': READ,
    'service_get': READ,
    'service_get_by_host_and_binary': READ,
    'service_get_all': READ,
    'service_get_or_create': IDEMPOTENT,  # finds the row the first made
    'service_heartbeat': IDEMPOTENT,
    'service_update': IDEMPOTENT,
    'service_destroy': ONCE,  # ServiceNotFound the second time
    'flavor_get': READ,
    'flavor_get_all': READ,
    'flavor_create': ONCE,
    'flavor_update': IDEMPOTENT,
    'flavor_destroy': ONCE,
    'flavor_extra_specs_update': IDEMPOTENT,  # a merge
    'flavor_extra_spec_delete': ONCE,
    'flavor_access_add': ONCE,  # FlavorAccessExists the second time
    'flavor_access_remove': ONCE,
    'keypair_create': ONCE,
    'keypair_get': READ,
    'keypair_get_all': READ,
    'keypair_destroy': ONCE,
    # The API chooses the instances' uuids: a second run returns the rows
    # the first created (nova.db.instances.instances_create).
    'instances_create': IDEMPOTENT,
    'instance_get': READ,
    'instance_get_all': READ,
    'instance_get_all_with_services': READ,
    'instance_get_all_by_host': READ,
    'instance_get_with_host_services': READ,
    'instance_update': CAS,
    'instance_update_and_event': CAS,
    'instance_update_within_quota': CAS,
    'instance_build_networking': CAS,
    # Its one caller (startup recovery) takes a refusal as "ended already".
    'instance_abort': CAS,
    'instance_destroy': ONCE,
    'instance_metadata_update': IDEMPOTENT,  # a merge, or a replacement
    'instance_metadata_delete': ONCE,
    'instance_tags_set': IDEMPOTENT,
    'instance_tag_add': ONCE,  # answers whether it added the tag
    'instance_tag_delete': ONCE,
    'instance_fault_create': ONCE,
    'instance_get_active_by_window': READ,
    'action_start': ONCE,
    'event_start': ONCE,
    'event_finish': IDEMPOTENT,  # finishes the latest event of the name
    'actions_get': READ,
    'action_get_by_request_id': READ,
    'compute_node_update_or_create': IDEMPOTENT,
    'host_states_get_all': READ,
    'compute_node_get_all': READ,
    'compute_node_get': READ,
    'compute_node_get_by_host_and_nodename': READ,
    # The consumer's claim on a node replaces its own earlier one.
    'allocation_claim': IDEMPOTENT,
    'allocations_delete': IDEMPOTENT,
    'allocations_move': IDEMPOTENT,  # nothing left to move the second time
    **dict.fromkeys(placement.READS, READ),  # resource providers
    'aggregate_create': ONCE,
    'aggregate_get': READ,
    'aggregate_get_all': READ,
    'aggregate_update': IDEMPOTENT,
    'aggregate_metadata_set': IDEMPOTENT,
    'aggregate_delete': ONCE,
    'aggregate_host_add': ONCE,
    'aggregate_host_remove': ONCE,
    'availability_zones_by_host': READ,
    'fixed_ip_allocate': ONCE,  # a second address
    'fixed_ips_release': IDEMPOTENT,
    'fixed_ip_get_all': READ,
    'server_group_create': ONCE,
    'server_group_get': READ,
    'server_group_get_all': READ,
    'server_group_delete': ONCE,
    'server_group_get_by_instance': READ,
    'quota_get_all': READ,
    'quota_get': READ,
    'quota_update': IDEMPOTENT,
    'quota_destroy_all': IDEMPOTENT,
    'quota_class_get': READ,
    'quota_class_update': IDEMPOTENT,
    'migration_get': READ,
    'migration_update': IDEMPOTENT,
    'migration_get_by_instance_and_status': READ,
    'migrations_get_all': READ,
    'schedule_and_build_instances': CAST,
    'build_instances': CAST,
    'unshelve_instance': CAST,
    'migrate_server': CAST,
    'evacuate_instance': CAST,
    'live_migrate_instance': CAST,
    'check_and_live_migrate_instance': ONCE,
    'console_auth_token_create': ONCE,  # a second token
    'console_auth_token_validate': READ,
}

# The instance columns a compare-and-swap sets that tell whether the
# instance is already as a refused retry asked.
_CAS_STATE = ('vm_state', 'task_state', 'power_state', 'host', 'node')


def instances_from_table(table):
    """instance_get_all's table -> a dict per instance.

    table is {'columns', 'rows'} with the JSON columns as text, decoded
    here in one json.loads (one call per value costs more than the
    decoding itself on long lists), or (as_table='json') that table as one
    JSON text with the JSON columns inside it, decoded by orjson at once.
    """
    if isinstance(table, str):
        try:
            table = orjson.loads(table)
        except orjson.JSONDecodeError:
            # orjson refuses what the standard library reads: a lone
            # surrogate, NaN (stored from a client's request).
            table = json.loads(table)
        json_at = []
    else:
        json_at = [i for i, c in enumerate(table['columns'])
                   if c in INSTANCE_JSON_COLUMNS]
    columns, rows = table['columns'], table['rows']
    date_at = [i for i, c in enumerate(columns)
               if c in INSTANCE_DATETIME_COLUMNS]
    if json_at and rows:
        decoded = iter(json.loads('[%s]' % ','.join([
            'null' if row[i] is None else row[i]
            for row in rows for i in json_at])))
        for row in rows:
            for i in json_at:
                row[i] = next(decoded)
    parse = datetime.datetime.fromisoformat
    for row in rows:
        for i in date_at:
            if row[i] is not None:
                row[i] = parse(row[i])
    instances = [dict(zip(columns, row)) for row in rows]
    if 'fault' in columns:
        for instance in instances:
            fault = instance['fault']
            if fault and isinstance(fault.get('created_at'), str):
                fault['created_at'] = parse(fault['created_at'])
    return instances


def _cas_state(values):
    return {k: values[k] for k in _CAS_STATE if k in values}


def _list_kwargs(filters, sort_keys, sort_dirs, limit, marker, read_deleted,
                 regex_filters, columns):
    kwargs = dict(filters=filters, sort_keys=list(sort_keys),
                  sort_dirs=list(sort_dirs), limit=limit, marker=marker,
                  read_deleted=read_deleted, regex_filters=regex_filters,
                  as_table='json')
    if columns is not None:
        kwargs['columns'] = sorted(columns)
    return kwargs


class ConductorAPI(aggregate_rpcapi.AggregateAPI,
                   live_migrate_rpcapi.LiveMigrationAPI,
                   console_rpcapi.ConsoleAuthAPI, placement.Reads):

    def __init__(self, timeout=None, conf=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)
        conf = conf or self.client.conf
        self.call_timeout = conf.conductor.call_timeout
        self.call_retries = conf.conductor.call_retries

    def _call(self, ctxt, method, _cas_state=None, **kwargs):
        """Call method, again when CALLS says it may be repeated and its
        answer did not come in time (nova.conductor.retry).  _cas_state
        ({column: value}): what a CAS call sets of instance uuid."""
        kind = CALLS[method]
        if kind not in RETRIED or not self.call_retries:
            return self.client.prepare().call(ctxt, method, **kwargs)
        applied = None
        if kind == CAS:
            applied = retry.applied(functools.partial(
                self.instance_get, ctxt, kwargs['uuid']), _cas_state)
        return retry.call(self.client, ctxt, method, retry.timeouts(
            self.call_timeout, self.call_retries,
            self.client.timeout or self.client.conf.rpc_response_timeout),
            applied, **kwargs)

    def _cast(self, ctxt, method, version=None, **kwargs):
        client = self.client.prepare(version=version) if version \
            else self.client.prepare()
        client.cast(ctxt, method, **kwargs)

    def ping(self, ctxt, timeout=None):
        """Answered as soon as a conductor consumes its queue.

        A short timeout matters at start: a message sent before the
        conductor declared its queue is dropped by the broker.
        """
        return self.client.prepare(timeout=timeout).call(ctxt, 'ping')

    # Services

    def service_get_or_create(self, ctxt, host, binary, topic, version):
        return self._call(ctxt, 'service_get_or_create', host=host,
                          binary=binary, topic=topic, version=version)

    def service_heartbeat(self, ctxt, service_id):
        return self._call(ctxt, 'service_heartbeat', service_id=service_id)

    def service_get(self, ctxt, service_id):
        return self._call(ctxt, 'service_get', service_id=service_id)

    def service_get_by_host_and_binary(self, ctxt, host, binary):
        return self._call(ctxt, 'service_get_by_host_and_binary',
                          host=host, binary=binary)

    def service_get_all(self, ctxt, host=None, binary=None, disabled=None):
        return self._call(ctxt, 'service_get_all', host=host, binary=binary,
                          disabled=disabled)

    def service_update(self, ctxt, service_id, values):
        return self._call(ctxt, 'service_update', service_id=service_id,
                          values=values)

    def service_destroy(self, ctxt, service_id):
        return self._call(ctxt, 'service_destroy', service_id=service_id)

    # Flavors

    def flavor_get(self, ctxt, flavorid, project_id=None):
        return self._call(ctxt, 'flavor_get', flavorid=flavorid,
                          project_id=project_id)

    def flavor_get_all(self, ctxt, **filters):
        return self._call(ctxt, 'flavor_get_all', **filters)

    def flavor_create(self, ctxt, values, projects=()):
        return self._call(ctxt, 'flavor_create', values=values,
                          projects=list(projects))

    def flavor_update(self, ctxt, flavorid, values):
        return self._call(ctxt, 'flavor_update', flavorid=flavorid,
                          values=values)

    def flavor_destroy(self, ctxt, flavorid):
        return self._call(ctxt, 'flavor_destroy', flavorid=flavorid)

    def flavor_extra_specs_update(self, ctxt, flavorid, specs):
        """Merge specs into the flavor's; returns all its extra specs."""
        return self._call(ctxt, 'flavor_extra_specs_update',
                          flavorid=flavorid, specs=specs)

    def flavor_extra_spec_delete(self, ctxt, flavorid, key):
        return self._call(ctxt, 'flavor_extra_spec_delete',
                          flavorid=flavorid, key=key)

    def flavor_access_add(self, ctxt, flavorid, project_id):
        """Returns the flavor, its projects with project_id."""
        return self._call(ctxt, 'flavor_access_add', flavorid=flavorid,
                          project_id=project_id)

    def flavor_access_remove(self, ctxt, flavorid, project_id):
        """Returns the flavor, its projects without project_id."""
        return self._call(ctxt, 'flavor_access_remove', flavorid=flavorid,
                          project_id=project_id)

    # Key pairs

    def keypair_create(self, ctxt, values, quota_defaults=None):
        """With quota_defaults (nova.quota.defaults), refused (403) when
        the user has its key_pairs limit, as ctxt's project resolves it."""
        kwargs = {}
        if quota_defaults is not None:
            kwargs = {'project_id': ctxt.project_id,
                      'quota_defaults': quota_defaults}
        return self._call(ctxt, 'keypair_create', values=values, **kwargs)

    def keypair_get(self, ctxt, user_id, name):
        return self._call(ctxt, 'keypair_get', user_id=user_id, name=name)

    def keypair_get_all(self, ctxt, user_id, limit=None, marker=None):
        return self._call(ctxt, 'keypair_get_all', user_id=user_id,
                          limit=limit, marker=marker)

    def keypair_destroy(self, ctxt, user_id, name):
        return self._call(ctxt, 'keypair_destroy', user_id=user_id,
                          name=name)

    # Instances

    def instances_create(self, ctxt, instances, quota_limits=None,
                         project_id=None, action=None, min_count=None,
                         server_group=None):
        """Create instances; action (a name) is recorded for each.  With
        min_count, as many as the quota allows, at least min_count.  With
        server_group ({'uuid'}), they join it."""
        if action:
            action = {'action': action, 'request_id': ctxt.request_id,
                      'user_id': ctxt.user_id,
                      'project_id': ctxt.project_id}
        kwargs = {'min_count': min_count} if min_count is not None else {}
        if server_group:
            kwargs['server_group'] = server_group
        return self._call(ctxt, 'instances_create', instances=instances,
                          quota_limits=quota_limits, project_id=project_id,
                          action=action, **kwargs)

    def instance_get(self, ctxt, uuid, project_id=None, read_deleted='no'):
        return self._call(ctxt, 'instance_get', uuid=uuid,
                          project_id=project_id, read_deleted=read_deleted)

    def instance_get_all(self, ctxt, filters=None,
                         sort_keys=('created_at', 'id'),
                         sort_dirs=('desc', 'desc'), limit=None,
                         marker=None, read_deleted='no',
                         regex_filters=None, columns=None):
        """Instances as instance_get returns them; columns (names, with
        'metadata' and 'fault') keeps only those keys in each.

        They cross the wire as a table (column names once, a list of
        values per instance, datetimes as ISO strings, the JSON columns as
        the database's JSON text) and become dicts here: the conductor
        neither builds a dict per instance nor decodes and re-encodes the
        JSON columns (most of a long list's cost), the caller sees no
        difference.
        """
        return instances_from_table(self._call(
            ctxt, 'instance_get_all', **_list_kwargs(
                filters, sort_keys, sort_dirs, limit, marker, read_deleted,
                regex_filters, columns)))

    def instance_get_all_with_services(self, ctxt, filters=None,
                                       sort_keys=('created_at', 'id'),
                                       sort_dirs=('desc', 'desc'),
                                       limit=None, marker=None,
                                       read_deleted='no', regex_filters=None,
                                       columns=None, binary='nova-compute'):
        """(instance_get_all(...), service_get_all(binary=binary)): one
        call for what GET /servers/detail shows (host_status)."""
        table, services = self._call(
            ctxt, 'instance_get_all_with_services', binary=binary,
            **_list_kwargs(filters, sort_keys, sort_dirs, limit, marker,
                           read_deleted, regex_filters, columns))
        return instances_from_table(table), services

    def instance_get_all_by_host(self, ctxt, host):
        return self._call(ctxt, 'instance_get_all_by_host', host=host)

    def instance_update(self, ctxt, uuid, values, expected_task_state=None,
                        expected_vm_state=None):
        return self._call(ctxt, 'instance_update', uuid=uuid, values=values,
                          _cas_state=_cas_state(values),
                          expected_task_state=expected_task_state,
                          expected_vm_state=expected_vm_state)

    def instance_update_within_quota(self, ctxt, uuid, values, defaults,
                                     deltas, expected_task_state=None):
        """instance_update and, in its transaction, the quota check of
        the upsize ({'cores', 'ram'}) a resize's or revert's accept adds."""
        return self._call(ctxt, 'instance_update_within_quota', uuid=uuid,
                          values=values, _cas_state=_cas_state(values),
                          defaults=defaults, deltas=deltas,
                          expected_task_state=expected_task_state)

    def instance_update_and_event(self, ctxt, uuid, values,
                                  expected_task_state=None,
                                  expected_vm_state=None, event_start=None,
                                  event_finish=None):
        """instance_update and an event of this request, one transaction.

        event_start ({'event', 'host'}) is recorded before the update, and
        kept when the update is refused; event_finish ({'event', 'result'
        [, 'traceback', 'details']}) after it, only if it succeeded.
        """
        if event_start:
            event_start = dict(event_start, request_id=ctxt.request_id)
        if event_finish:
            event_finish = dict(event_finish, request_id=ctxt.request_id)
        return self._call(ctxt, 'instance_update_and_event', uuid=uuid,
                          values=values, _cas_state=_cas_state(values),
                          expected_task_state=expected_task_state,
                          expected_vm_state=expected_vm_state,
                          event_start=event_start, event_finish=event_finish)

    def instance_build_networking(self, ctxt, uuid, event_start,
                                  fixed_ip=None, spawning=False):
        """The first build steps (networking, then block_device_mapping
        with the address fixed_ip allocates, then spawning too if asked)
        in one call; event_start ({'event', 'host'}) begins with the
        first."""
        kwargs = {'spawning': True} if spawning else {}
        last = states.task.SPAWNING if spawning else \
            states.task.BLOCK_DEVICE_MAPPING
        return self._call(ctxt, 'instance_build_networking', uuid=uuid,
                          _cas_state={'task_state': last},
                          event_start=dict(event_start,
                                           request_id=ctxt.request_id),
                          fixed_ip=fixed_ip, **kwargs)

    def instance_get_with_host_services(self, ctxt, uuid, project_id=None,
                                        read_deleted='no',
                                        binary='nova-compute'):
        """(instance, the services of binary on its host): one call."""
        instance, services = self._call(
            ctxt, 'instance_get_with_host_services', uuid=uuid,
            project_id=project_id, read_deleted=read_deleted, binary=binary)
        return instance, services

    def instance_destroy(self, ctxt, uuid):
        return self._call(ctxt, 'instance_destroy', uuid=uuid)

    def instance_abort(self, ctxt, uuid, expected_task_state, values, fault,
                       event, migration_uuid=None):
        """End the instance's operation (nova.db.reaper.abort): values
        saved if its task_state is still expected_task_state, the move
        migration_uuid undone (source allocation only, migration error),
        fault ({'code', 'message', 'details', 'host'}) recorded and the
        action's open events (else an event named event) finished with
        Error; returns the action's request id."""
        return self._call(ctxt, 'instance_abort', uuid=uuid,
                          expected_task_state=expected_task_state,
                          values=values, fault=fault, event=event,
                          migration_uuid=migration_uuid)

    # A server's metadata and tags: each change checks the instance's
    # state (409 naming api_method) in the transaction that makes it;
    # lock_override: a locked instance is no obstacle (an admin's request).

    def instance_metadata_update(self, ctxt, uuid, metadata, delete=False,
                                 max_items=None, api_method='update metadata',
                                 lock_override=False):
        """Merge metadata into the instance's (with delete: replace it);
        returns the result.  max_items: the default quota, -1 none."""
        return self._call(ctxt, 'instance_metadata_update', uuid=uuid,
                          metadata=metadata, delete=delete,
                          max_items=max_items, api_method=api_method,
                          lock_override=lock_override)

    def instance_metadata_delete(self, ctxt, uuid, key,
                                 api_method='delete metadata',
                                 lock_override=False):
        return self._call(ctxt, 'instance_metadata_delete', uuid=uuid,
                          key=key, api_method=api_method,
                          lock_override=lock_override)

    def instance_tags_set(self, ctxt, uuid, tags, api_method='update tags',
                          lock_override=False):
        """Replace the instance's tags; returns them."""
        return self._call(ctxt, 'instance_tags_set', uuid=uuid,
                          tags=list(tags), api_method=api_method,
                          lock_override=lock_override)

    def instance_tag_add(self, ctxt, uuid, tag, max_tags,
                         api_method='update tag', lock_override=False):
        """True when added, False when the instance had it."""
        return self._call(ctxt, 'instance_tag_add', uuid=uuid, tag=tag,
                          max_tags=max_tags, api_method=api_method,
                          lock_override=lock_override)

    def instance_tag_delete(self, ctxt, uuid, tag, api_method='delete tag',
                            lock_override=False):
        return self._call(ctxt, 'instance_tag_delete', uuid=uuid, tag=tag,
                          api_method=api_method, lock_override=lock_override)

    def instance_fault_create(self, ctxt, instance_uuid, code, message,
                              details=None, host=None):
        return self._call(ctxt, 'instance_fault_create',
                          instance_uuid=instance_uuid, code=code,
                          message=message, details=details, host=host)

    def instance_get_active_by_window(self, ctxt, begin, end,
                                      project_id=None, limit=None,
                                      marker=None):
        """Instances (deleted ones too) that ran within [begin, end),
        as nova.db.usage returns them: what a tenant usage bills."""
        return self._call(ctxt, 'instance_get_active_by_window',
                          begin=begin, end=end, project_id=project_id,
                          limit=limit, marker=marker)

    # Instance actions

    def action_start(self, ctxt, action, instance_uuid):
        return self._call(ctxt, 'action_start', action=action,
                          instance_uuid=instance_uuid,
                          request_id=ctxt.request_id, user_id=ctxt.user_id,
                          project_id=ctxt.project_id)

    def event_start(self, ctxt, instance_uuid, event, host):
        return self._call(ctxt, 'event_start', instance_uuid=instance_uuid,
                          request_id=ctxt.request_id, event=event,
                          host=host)

    def event_finish(self, ctxt, instance_uuid, event, result,
                     traceback=None, details=None):
        return self._call(ctxt, 'event_finish', instance_uuid=instance_uuid,
                          request_id=ctxt.request_id, event=event,
                          result=result, traceback=traceback,
                          details=details)

    def actions_get(self, ctxt, instance_uuid, limit=None, marker=None,
                    changes_since=None, changes_before=None):
        return self._call(ctxt, 'actions_get', instance_uuid=instance_uuid,
                          limit=limit, marker=marker,
                          changes_since=changes_since,
                          changes_before=changes_before)

    def action_get_by_request_id(self, ctxt, instance_uuid, request_id):
        return self._call(ctxt, 'action_get_by_request_id',
                          instance_uuid=instance_uuid, request_id=request_id)

    # Compute nodes and allocations

    def compute_node_update_or_create(self, ctxt, host, nodename,
                                      resources):
        return self._call(ctxt, 'compute_node_update_or_create', host=host,
                          nodename=nodename, resources=resources)

    def host_states_get_all(self, ctxt, with_instances=False):
        return self._call(ctxt, 'host_states_get_all',
                          with_instances=with_instances)

    def compute_node_get_all(self, ctxt, hostname_pattern=None):
        return self._call(ctxt, 'compute_node_get_all',
                          hostname_pattern=hostname_pattern)

    def compute_node_get(self, ctxt, node_id):
        return self._call(ctxt, 'compute_node_get', node_id=node_id)

    def allocation_claim(self, ctxt, consumer_uuid, node_id, project_id,
                         vcpus, memory_mb, disk_gb):
        return self._call(ctxt, 'allocation_claim',
                          consumer_uuid=consumer_uuid, node_id=node_id,
                          project_id=project_id, vcpus=vcpus,
                          memory_mb=memory_mb, disk_gb=disk_gb)

    def allocations_delete(self, ctxt, consumer_uuid, node_id=None):
        return self._call(ctxt, 'allocations_delete',
                          consumer_uuid=consumer_uuid, node_id=node_id)

    # Networks and quotas

    def fixed_ip_allocate(self, ctxt, network, cidr, instance_uuid,
                          reserved=(), address=None):
        kwargs = {'address': address} if address is not None else {}
        return self._call(ctxt, 'fixed_ip_allocate', network=network,
                          cidr=cidr, instance_uuid=instance_uuid,
                          reserved=list(reserved), **kwargs)

    def fixed_ips_release(self, ctxt, instance_uuid):
        return self._call(ctxt, 'fixed_ips_release',
                          instance_uuid=instance_uuid)

    # Server groups

    def server_group_create(self, ctxt, values, quota_limit=-1):
        return self._call(ctxt, 'server_group_create', values=values,
                          quota_limit=quota_limit)

    def server_group_get(self, ctxt, group_uuid, project_id=None):
        return self._call(ctxt, 'server_group_get', group_uuid=group_uuid,
                          project_id=project_id)

    def server_group_get_all(self, ctxt, project_id=None, limit=None,
                             offset=None):
        return self._call(ctxt, 'server_group_get_all',
                          project_id=project_id, limit=limit, offset=offset)

    def server_group_delete(self, ctxt, group_uuid, project_id=None):
        return self._call(ctxt, 'server_group_delete', group_uuid=group_uuid,
                          project_id=project_id)

    def server_group_get_by_instance(self, ctxt, instance_uuid):
        return self._call(ctxt, 'server_group_get_by_instance',
                          instance_uuid=instance_uuid)

    def fixed_ip_get_all(self, ctxt, network):
        return self._call(ctxt, 'fixed_ip_get_all', network=network)

    def quota_get_all(self, ctxt, project_id):
        """The limits that differ from the [quota] options (the class
        'default''s, then the project's); newer code calls quota_get."""
        return self._call(ctxt, 'quota_get_all', project_id=project_id)

    # Quotas: defaults is nova.quota.defaults(conf), the API's [quota].

    def quota_get(self, ctxt, project_id, defaults, user_id=None,
                  usages=False):
        """{resource: limit} of the project (of its user), or with usages
        {resource: {'limit', 'in_use'}}."""
        return self._call(ctxt, 'quota_get', project_id=project_id,
                          defaults=defaults, user_id=user_id, usages=usages)

    def quota_update(self, ctxt, project_id, values, defaults, user_id=None,
                     force=False):
        """Set limits ({resource: limit}); unless force, each is checked
        against usage first (400).  Returns the limits then."""
        return self._call(ctxt, 'quota_update', project_id=project_id,
                          values=values, defaults=defaults, user_id=user_id,
                          force=force)

    def quota_destroy_all(self, ctxt, project_id, user_id=None):
        return self._call(ctxt, 'quota_destroy_all', project_id=project_id,
                          user_id=user_id)

    def quota_class_get(self, ctxt, class_name, defaults):
        return self._call(ctxt, 'quota_class_get', class_name=class_name,
                          defaults=defaults)

    def quota_class_update(self, ctxt, class_name, values, defaults):
        return self._call(ctxt, 'quota_class_update', class_name=class_name,
                          values=values, defaults=defaults)

    # Flows

    def schedule_and_build_instances(self, ctxt, request_spec,
                                     instance_uuids):
        self._cast(ctxt, 'schedule_and_build_instances',
                   request_spec=request_spec, instance_uuids=instance_uuids)

    def build_instances(self, ctxt, request_spec, instance_uuid,
                        alternates, attempt, reason):
        """Reschedule one instance whose build failed on its host."""
        self._cast(ctxt, 'build_instances', request_spec=request_spec,
                   instance_uuid=instance_uuid, alternates=alternates,
                   attempt=attempt, reason=reason)

    def unshelve_instance(self, ctxt, instance_uuid, availability_zone=None,
                          host=None, unpin_zone=False):
        """host: where to (2.91, admin); unpin_zone: forget the zone the
        instance was held to (2.91 null availability_zone)."""
        self._cast(ctxt, 'unshelve_instance', instance_uuid=instance_uuid,
                   availability_zone=availability_zone, host=host,
                   unpin_zone=unpin_zone)

    def evacuate_instance(self, ctxt, instance_uuid, host=None, force=False,
                          admin_password=None):
        """Rebuild the instance elsewhere, its host being down: host is
        where to (the scheduler still checks it unless force), else the
        scheduler's choice."""
        self._cast(ctxt, 'evacuate_instance', instance_uuid=instance_uuid,
                   host=host, force=force, admin_password=admin_password)

    def migrate_server(self, ctxt, instance_uuid, flavor, host=None):
        """Cold migrate (flavor None or unchanged) or resize."""
        self._cast(ctxt, 'migrate_server', instance_uuid=instance_uuid,
                   flavor=flavor, host=host)

    def migration_get(self, ctxt, migration_uuid):
        return self._call(ctxt, 'migration_get',
                          migration_uuid=migration_uuid)

    def migration_update(self, ctxt, migration_uuid, values):
        return self._call(ctxt, 'migration_update',
                          migration_uuid=migration_uuid, values=values)

    def migration_get_by_instance_and_status(self, ctxt, instance_uuid,
                                             status):
        return self._call(ctxt, 'migration_get_by_instance_and_status',
                          instance_uuid=instance_uuid, status=status)

    def migrations_get_all(self, ctxt, **filters):
        return self._call(ctxt, 'migrations_get_all', **filters)

    def allocations_move(self, ctxt, from_consumer, to_consumer, node_id):
        return self._call(ctxt, 'allocations_move',
                          from_consumer=from_consumer,
                          to_consumer=to_consumer, node_id=node_id)

    def compute_node_get_by_host_and_nodename(self, ctxt, host, nodename):
        return self._call(ctxt, 'compute_node_get_by_host_and_nodename',
                          host=host, nodename=nodename)
