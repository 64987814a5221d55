"""Unshelving, as the conductor runs it.

A SHELVED instance is still on its host: that compute powers it on.  A
SHELVED_OFFLOADED one has no host: the scheduler picks (and claims) one,
and that compute spawns it from the shelve image.  When no host fits, the
instance stays offloaded, the action records the error.
"""

from oslo_log import log as logging

from nova.compute import aggregates
from nova.compute import states
from nova.db import actions as db_actions
from nova.db import instances as db_instances
from nova import exception
from nova.network import flat

LOG = logging.getLogger(__name__)

EVENT = 'conductor_unshelve_instance'


def _networks(instance):
    """What the instance had when it was offloaded: no network, or its
    address again (any free one if another instance took it meanwhile)."""
    address = (instance['system_metadata'] or {}).get(
        flat.SHELVED_ADDRESS)
    if address is None:
        return 'auto'
    if not address:
        return 'none'
    return [{'fixed_ip': address, 'or_any': True}]


def unshelve(flow, context, instance_uuid, availability_zone=None,
             host=None, unpin_zone=False):
    """availability_zone (2.77): where to, and from now on the zone the
    instance is held to, as upstream pins it; else the zone its create
    asked for, if it did, unless unpin_zone (2.91) drops it.  host (2.91):
    the only host the scheduler may pick."""
    instance = db_instances.instance_get(instance_uuid)
    system_metadata = dict(instance['system_metadata'] or {})
    if unpin_zone:
        system_metadata.pop(aggregates.REQUESTED_ZONE_KEY, None)
    spec = {'project_id': instance['project_id'],
            'user_id': instance['user_id'], 'num_instances': 1,
            'flavor': instance['flavor'],
            'image': {'id': system_metadata.get('shelved_image_id'),
                      'properties': {}},
            'availability_zone': (availability_zone or system_metadata.get(
                aggregates.REQUESTED_ZONE_KEY)),
            'scheduler_hints': instance['scheduler_hints'] or {},
            'ignore_hosts': [],
            'force_host': host,
            'requested_networks': _networks(instance)}
    if instance['vm_state'] == states.SHELVED:
        flow.compute.unshelve_instance(context, instance['host'],
                                       instance_uuid, spec)
        return
    db_actions.event_start(instance_uuid, context.request_id, EVENT,
                           flow.host)
    try:
        (hosts,) = flow.select_destinations(context, spec, [instance_uuid])
    except exception.NoValidHost as e:
        LOG.warning('Cannot unshelve: %s', e.format_message(),
                    instance_uuid=instance_uuid)
        db_instances.instance_update(instance_uuid, {'task_state': None})
        db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                                'Error', details=e.format_message())
        return
    dest = hosts[0]
    values = {'host': dest['host'], 'node': dest['nodename'],
              'availability_zone': flow.host_zone(dest)}
    if availability_zone:
        system_metadata[aggregates.REQUESTED_ZONE_KEY] = availability_zone
    if availability_zone or unpin_zone:
        values['system_metadata'] = system_metadata
    db_instances.instance_update(
        instance_uuid, values, expected_task_state=[states.task.UNSHELVING])
    db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                            'Success')
    LOG.info('Unshelving on %s', dest['host'], instance_uuid=instance_uuid)
    flow.compute.unshelve_instance(context, dest['host'], instance_uuid,
                                   spec)
