"""What the servers handlers do beyond HTTP: create and delete.

Create checks the flavor, image, key pair, networks and zone, creates the
instance records (quota checked in the same transaction), records the
``create`` action and casts the build to the conductor.  Delete deletes
locally when no compute can (never scheduled, or its host is down) and
otherwise casts terminate_instance to the instance's host.
"""

import base64
import secrets
import string
import uuid

import netaddr
from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import aggregates
from nova.compute import states
from nova import exception
from nova.network import api as network_api
from nova import quota
from nova import servicegroup

LOG = logging.getLogger(__name__)

_PASSWORD_CHARS = string.ascii_letters + string.digits


def generate_password(length=12):
    return ''.join(secrets.choice(_PASSWORD_CHARS) for _ in range(length))


def _ref_id(ref):
    """An id from an id or a link to the resource (clients send both)."""
    return str(ref).rstrip('/').rsplit('/', 1)[-1]


def get_flavor(conductor, context, flavor_ref):
    try:
        flavor = conductor.flavor_get(
            context, _ref_id(flavor_ref),
            project_id=None if context.is_admin else context.project_id)
    except exception.FlavorNotFound as e:
        raise exception.Invalid(e.format_message())
    if flavor['disabled']:
        raise exception.Invalid('Flavor %s is disabled.' % flavor_ref)
    return flavor


def get_image(image_api, context, image_ref, flavor, cache=None):
    """The image's metadata; 400 unless it exists, is active and fits.

    cache (an image_metadata.MetadataCache) may answer for the Image API.
    """
    image_id = _ref_id(image_ref)
    try:
        if cache is not None:
            image = cache.show(image_api, context, image_id)
        else:
            image = image_api.show(context, image_id)
    except exception.NotFound:
        raise exception.Invalid('Image %s could not be found.' % image_id)
    if image.get('status') != 'active':
        raise exception.Invalid('Image %s is not active.' % image_id)
    size_gb = (image.get('size') or 0) / float(1024 ** 3)
    if flavor['root_gb'] and (size_gb > flavor['root_gb'] or
                              (image.get('min_disk') or 0) >
                              flavor['root_gb']):
        raise exception.Invalid("Flavor's disk is too small for requested "
                                "image. Flavor disk is %sGB." %
                                flavor['root_gb'])
    if (image.get('min_ram') or 0) > flavor['memory_mb']:
        raise exception.Invalid("Flavor's memory is too small for "
                                "requested image.")
    return image


def image_system_metadata(image):
    """The image_* keys an instance keeps about its image."""
    meta = {'image_' + k: v for k, v in
            (image.get('properties') or {}).items()}
    meta.update(image_base_image_ref=image['id'],
                image_disk_format=image.get('disk_format'),
                image_container_format=image.get('container_format'),
                image_min_ram=image.get('min_ram'),
                image_min_disk=image.get('min_disk'))
    return meta


# image_* system metadata that describes the instance, not its image.
_NOT_INHERITED = frozenset(('base_image_ref', 'disk_format',
                            'container_format', 'min_ram', 'min_disk',
                            'instance_uuid', 'image_type', 'image_location',
                            'image_state', 'owner_id', 'user_id'))


def inherited_image_properties(system_metadata):
    """The boot image's properties a snapshot of the instance keeps
    (kernel_id, ramdisk_id, os_command_line, hw_*...), so it boots the
    same way."""
    return {key[len('image_'):]: value
            for key, value in (system_metadata or {}).items()
            if key.startswith('image_') and value is not None
            and key[len('image_'):] not in _NOT_INHERITED}


def snapshot_image_meta(context, instance, name, image_type, metadata,
                        **extra_properties):
    """The new image of a createImage ('snapshot') or createBackup
    ('backup', with backup_type): the boot image's formats and the
    properties that boot it the same way, what says where it comes from,
    then the caller's metadata, which may override those as upstream's
    does (Tempest names its snapshots' image_type), then the backup's."""
    system_metadata = instance.get('system_metadata') or {}
    properties = inherited_image_properties(system_metadata)
    properties.update(instance_uuid=instance['uuid'], image_type=image_type,
                      base_image_ref=instance['image_ref'],
                      user_id=context.user_id)
    properties.update(metadata or {})
    properties.update(extra_properties)
    return {
        'name': name,
        'disk_format': system_metadata.get('image_disk_format') or 'qcow2',
        'container_format':
            system_metadata.get('image_container_format') or 'bare',
        'min_disk': instance['root_gb'] or 0,
        'min_ram': system_metadata.get('image_min_ram') or 0,
        'properties': properties}


def _boot_image_from_bdms(bdms):
    """The image of an image-to-local boot entry (what OSC sends)."""
    for bdm in bdms or ():
        if bdm.get('destination_type') == 'volume':
            raise exception.Invalid('Block device mappings to volumes are '
                                    'not supported: there is no volume '
                                    'service.')
        if bdm.get('source_type') == 'image' and \
                str(bdm.get('boot_index')) == '0':
            return bdm.get('uuid')
    return None


def _requested_destination(conductor, context, host, node):
    """(host, node) of the compute node asked for by host and/or
    hypervisor_hostname; 400 when there is none."""
    for compute_node in conductor.compute_node_get_all(context):
        if (host in (None, compute_node['host']) and
                node in (None, compute_node['hypervisor_hostname'])):
            return host, node
    if host and node:
        raise exception.Invalid('Compute host %s with node %s could not be '
                                'found.' % (host, node))
    raise exception.Invalid('Compute host %s could not be found.'
                            % (host or node))


def check_zone_available(conf, conductor, context, zone):
    """400 unless zone is available: an enabled compute service is in it
    (its host's aggregates', or the default zone), as upstream checks a
    server's zone at create and unshelve."""
    services = conductor.service_get_all(context, binary='nova-compute',
                                         disabled=False)
    zones = conductor.availability_zones_by_host(
        context, {s['host'] for s in services}) if services else {}
    if zone not in {zones.get(s['host']) or conf.default_availability_zone
                    for s in services}:
        raise exception.AvailabilityZoneNotAvailable()


def host_zone(conf, conductor, context, host):
    """The availability zone a compute host is in."""
    zones = conductor.availability_zones_by_host(context, [host])
    return zones.get(host) or conf.default_availability_zone


def _zone_and_host(conf, conductor, context, zone, authorize_forced_host):
    """(availability zone, forced host) from 'az' or 'az:host[:node]'.

    As upstream, the zone is only checked when no host is forced (the
    scheduler's AvailabilityZoneFilter still holds the host to it).
    """
    if not zone:
        return None, None
    zone, _, host = zone.partition(':')
    host = host.partition(':')[0] or None
    if host:
        authorize_forced_host()
    elif zone:
        check_zone_available(conf, conductor, context, zone)
    return zone or None, host


def normalize_ipv6(value):
    """An IPv6 address as upstream stores it (netaddr's canonical text:
    '2001:DB8:0::1' is '2001:db8::1'); None and '' as they are."""
    if not value:
        return value
    try:
        return str(netaddr.IPAddress(value, version=6))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise exception.Invalid('Invalid IPv6 address %r' % value)


def _user_data(value):
    if value is None:
        return None
    try:
        base64.b64decode(value, validate=True)
    except ValueError:
        raise exception.Invalid('Userdata content cannot be decoded')
    return value


def create(conf, conductor, image_api, context, body, hints,
           authorize_forced_host, authorize_requested_destination,
           image_metadata=None):
    """Create the instances of one POST /servers; returns
    (instances, admin_password, reservation_id)."""
    flavor = get_flavor(conductor, context, body['flavorRef'])
    image_ref = body.get('imageRef') or _boot_image_from_bdms(
        body.get('block_device_mapping_v2'))
    if not image_ref:
        raise exception.Invalid('Missing imageRef attribute')
    image = get_image(image_api, context, image_ref, flavor,
                      cache=image_metadata)
    key_data = None
    if body.get('key_name'):
        try:
            key_data = conductor.keypair_get(
                context, context.user_id, body['key_name'])['public_key']
        except exception.KeypairNotFound:
            raise exception.Invalid('Invalid key_name provided.')
    min_count = int(body.get('min_count', 1))
    max_count = int(body.get('max_count', min_count))
    if min_count > max_count:
        raise exception.Invalid('min_count must be <= max_count')
    if body.get('hostname') and max_count > 1:
        raise exception.Invalid('Unable to allocate a single hostname to '
                                'multiple instances')
    zone, forced_host = _zone_and_host(conf, conductor, context,
                                       body.get('availability_zone'),
                                       authorize_forced_host)
    forced_node = None
    if body.get('host') or body.get('hypervisor_hostname'):
        # 2.74: a requested destination, checked here, then filtered as
        # any other host.
        if forced_host:
            raise exception.Invalid(
                'One mechanism with host and/or hypervisor_hostname and '
                'another mechanism with zone:host:node are mutually '
                'exclusive.')
        authorize_requested_destination()
        forced_host, forced_node = _requested_destination(
            conductor, context, body.get('host'),
            body.get('hypervisor_hostname'))
    net_api = network_api.API(conf, conductor)
    networks = net_api.validate_networks(context, body.get('networks'),
                                         max_count)
    admin_password = body.get('adminPass') or generate_password()
    reservation_id = 'r-' + uuid.uuid4().hex[:8]
    instance_flavor = flavor_copy(flavor)
    image_meta = image_system_metadata(image)
    if zone:
        image_meta[aggregates.REQUESTED_ZONE_KEY] = zone
    groups = [g['name'] for g in body.get('security_groups') or ()] or \
        ['default']
    try:
        groups = net_api.validate_security_groups(
            context, context.project_id, groups)
    except exception.SecurityGroupNotFound as e:
        raise exception.Invalid(e.format_message())
    groups = list(dict.fromkeys(groups))
    instances = []
    for index in range(max_count):
        name = body['name']
        if max_count > 1:
            name = '%s-%d' % (name, index + 1)
        instances.append({
            'uuid': str(uuid.uuid4()),
            'user_id': context.user_id, 'project_id': context.project_id,
            'display_name': name,
            'display_description': body.get('description'),
            'hostname': body.get('hostname') or _hostname(name),
            'image_ref': image['id'],
            'kernel_id': (image.get('properties') or {}).get('kernel_id'),
            'ramdisk_id': (image.get('properties') or {}).get('ramdisk_id'),
            'key_name': body.get('key_name'), 'key_data': key_data,
            'power_state': states.power.NOSTATE,
            'vm_state': states.BUILDING,
            'task_state': states.task.SCHEDULING,
            'flavor': instance_flavor, 'memory_mb': flavor['memory_mb'],
            'vcpus': flavor['vcpus'], 'root_gb': flavor['root_gb'],
            'ephemeral_gb': flavor['ephemeral_gb'],
            'availability_zone': zone, 'reservation_id': reservation_id,
            'launch_index': index,
            'user_data': _user_data(body.get('user_data')),
            'config_drive': 'True' if body.get('config_drive') in (
                True, 'True', 'true', '1') else '',
            'access_ip_v4': body.get('accessIPv4'),
            'access_ip_v6': normalize_ipv6(body.get('accessIPv6')),
            'auto_disk_config': body.get('OS-DCF:diskConfig') == 'AUTO',
            'progress': 0, 'locked': False,
            'system_metadata': image_meta, 'network_info': [],
            'security_groups': groups,
            'block_device_mapping': body.get('block_device_mapping_v2'),
            'scheduler_hints': hints or {}, 'tags': body.get('tags') or [],
            'metadata': body.get('metadata') or {},
        })
    # One call: quota check (instances, cores, ram; metadata items; the
    # group's members), the rows and their 'create' actions.  A quota
    # with room for fewer than max_count but at least min_count gets those
    # (named as planned for max_count).
    group = (hints or {}).get('group')
    try:
        created = conductor.instances_create(
            context, instances, quota.defaults(conf), context.project_id,
            action='create', min_count=min_count,
            server_group={'uuid': group} if group else None)
    except exception.InstanceGroupNotFound as e:
        # A hint naming no group of the project is a bad request.
        raise exception.Invalid(e.format_message())
    request_spec = {
        'project_id': context.project_id, 'user_id': context.user_id,
        'num_instances': len(created), 'flavor': instance_flavor,
        'image': {'id': image['id'],
                  'properties': image.get('properties') or {}},
        'availability_zone': zone, 'force_host': forced_host,
        'force_node': forced_node,
        'scheduler_hints': hints or {}, 'ignore_hosts': [],
        'requested_networks': networks, 'admin_password': admin_password,
    }
    conductor.schedule_and_build_instances(
        context, request_spec, [i['uuid'] for i in created])
    LOG.info('Requested %d instance(s) of flavor %s, image %s',
             len(created), flavor['name'], image['id'])
    return created, admin_password, reservation_id


def flavor_copy(flavor):
    """What an instance keeps of its flavor."""
    return {k: flavor[k] for k in (
        'id', 'flavorid', 'name', 'memory_mb', 'vcpus', 'root_gb',
        'ephemeral_gb', 'swap', 'rxtx_factor', 'extra_specs',
        'description')}


def _hostname(name):
    allowed = ''.join(c if c.isalnum() or c == '-' else '-'
                      for c in name.lower())
    return allowed.strip('-')[:63] or 'server'


def delete(conf, conductor, compute_api, context, instance,
           action='delete', soft=False):
    """Delete the instance, locally or through its compute.

    soft (DELETE with [DEFAULT] reclaim_instance_interval > 0): a soft
    delete instead, for an instance that was launched (one never
    launched is deleted at once, as upstream).
    """
    if instance['task_state'] in (states.task.DELETING,
                                  states.task.SOFT_DELETING):
        return
    if soft and instance.get('launched_at'):
        return soft_delete(conf, conductor, compute_api, context, instance)
    uuid = instance['uuid']
    instance = conductor.instance_update(
        context, uuid, {'task_state': states.task.DELETING})
    conductor.action_start(context, action, uuid)
    host = instance['host']
    if host and compute_is_up(conf, conductor, context, host):
        LOG.info('Asking %s to delete the instance', host,
                 instance_uuid=uuid)
        compute_api.terminate_instance(context, host, uuid)
        return
    LOG.info('Deleting the instance locally (%s)',
             'its host %s is down' % host if host else 'never scheduled',
             instance_uuid=uuid)
    network_api.API(conf, conductor).deallocate_for_instance(context, uuid)
    conductor.allocations_delete(context, uuid)
    conductor.instance_destroy(context, uuid)


def soft_delete(conf, conductor, compute_api, context, instance):
    """SOFT_DELETED: the compute powers the guest off and keeps it (and
    its address and resources) until a restore, a forceDelete or the
    reclaim; locally when its host is down.  The action is 'delete'."""
    uuid = instance['uuid']
    instance = conductor.instance_update(
        context, uuid, {'task_state': states.task.SOFT_DELETING,
                        'deleted_at': timeutils.utcnow()})
    conductor.action_start(context, 'delete', uuid)
    host = instance['host']
    if host and compute_is_up(conf, conductor, context, host):
        LOG.info('Asking %s to soft delete the instance', host,
                 instance_uuid=uuid)
        compute_api.soft_delete_instance(context, host, uuid)
        return
    LOG.info('Soft deleting the instance locally (its host %s is down)',
             host, instance_uuid=uuid)
    conductor.instance_update(
        context, uuid, {'vm_state': states.SOFT_DELETED, 'task_state': None},
        expected_task_state=[states.task.SOFT_DELETING])


def compute_is_up(conf, conductor, context, host):
    try:
        service = conductor.service_get_by_host_and_binary(
            context, host, 'nova-compute')
    except exception.NotFound:
        return False
    return servicegroup.service_is_up(service, conf.service_down_time)
