"""Server representations, per microversion.

Pure functions of the request (microversion, links) and of the instance
dict the conductor returns, plus whatever the handler looked up and passes
in (host status, server groups, the admin decision).  Fact sheet section
5.1 is the field list; tempest's per-microversion response schemas
(additionalProperties false, explicit required lists) are the oracle the
unit tests hold these views to.

Which view each call uses:

* ``GET /servers``: ``collection(req, instances, basic, limit)``
* ``GET /servers/detail``: ``collection(req, instances, <detail>, limit)``
  where ``<detail>`` calls one ``ServerView`` (the admin decision made
  once) with each instance and its host status; ``detail`` is one item
* ``GET /servers/{id}``: ``{'server': show(..., show_server_groups=True)}``
* ``PUT /servers/{id}``: ``update_body(...)``
* ``POST /servers/{id}/action`` rebuild: ``rebuild_body(...)``
* ``POST /servers``: ``created(...)`` or ``reservation_body(...)``
"""

import datetime
import functools
import hashlib
import ipaddress

from oslo_utils import timeutils

from nova.api.views import common
from nova.compute import names
from nova.compute import states
from nova.network import model as network_model

# More OS-EXT-SRV-ATTR fields for admins; delete_on_termination in
# os-extended-volumes:volumes_attached items.
EXTENDED_ATTRIBUTES = (2, 3)
LOCKED = (2, 9)
HOST_STATUS = (2, 16)
DESCRIPTION = (2, 19)
TAGS = (2, 26)
# The flavor is embedded ({vcpus, ram, ...}) instead of linked.
EMBEDDED_FLAVOR = (2, 47)
REBUILD_KEY_NAME = (2, 54)
REBUILD_USER_DATA = (2, 57)
TRUSTED_CERTS = (2, 63)
SERVER_GROUPS = (2, 71)
LOCKED_REASON = (2, 73)
# PUT and rebuild answer with the same view as GET.
FULL_UPDATE_VIEW = (2, 75)
# OS-EXT-SRV-ATTR:hostname is shown to every caller, not only admins.
HOSTNAME_FOR_ALL = (2, 90)

# Statuses whose server shows a progress percentage.
PROGRESS_STATUSES = frozenset(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE',
                               'VERIFY_RESIZE', 'MIGRATING'])
# Statuses whose server shows its last fault (if it has one).
FAULT_STATUSES = frozenset(['ERROR', 'DELETED'])

_ZULU_FORMAT = '%Y-%m-%dT%H:%M:%SZ'
_NAIVE_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


# -- small helpers -----------------------------------------------------------

_VERSIONS_KEY = 'nova.views.servers.versions'
_LINKS_KEY = 'nova.views.servers.links'


def _at(req, version):
    """req.is_version(version), remembered for the request: a list asks
    the same questions for every server."""
    cache = req.environ.get(_VERSIONS_KEY)
    if cache is None:
        cache = req.environ[_VERSIONS_KEY] = {}
    answer = cache.get(version)
    if answer is None:
        answer = cache[version] = req.is_version(version)
    return answer


def _link_bases(req):
    """(self, bookmark) link prefixes, as req.link makes them."""
    bases = req.environ.get(_LINKS_KEY)
    if bases is None:
        bases = req.environ[_LINKS_KEY] = (req.link(''), req.link(
            '', bookmark=True))
    return bases

def _get(mapping, key, default=None):
    """mapping[key], or default when missing or None (columns are nullable)."""
    if not mapping:
        return default
    value = mapping.get(key)
    return default if value is None else value


def _as_datetime(value):
    """A naive UTC datetime from a datetime or an ISO 8601 string."""
    if value is None or value == '':
        return None
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = timeutils.normalize_time(value)
    return value


def _zulu(value):
    """'YYYY-MM-DDTHH:MM:SSZ', the format of created/updated and faults."""
    if type(value) is not datetime.datetime or value.tzinfo is not None:
        value = _as_datetime(value) or timeutils.utcnow()
    if value.year < 1000:
        return value.strftime(_ZULU_FORMAT)
    # What strftime(_ZULU_FORMAT) gives, faster (lists format thousands).
    return value.isoformat(timespec='seconds') + 'Z'


def _naive(value):
    """'YYYY-MM-DDTHH:MM:SS.ffffff' (no zone) or None: OS-SRV-USG:*."""
    if type(value) is not datetime.datetime or value.tzinfo is not None:
        value = _as_datetime(value)
        if value is None:
            return None
    if value.year < 1000:
        return value.strftime(_NAIVE_FORMAT)
    return value.isoformat(timespec='microseconds')


def status(instance):
    """The API status of an instance (fact sheet section 2.4)."""
    return states.status(instance.get('vm_state'),
                         instance.get('task_state'),
                         bool(_get(instance, 'deleted', 0)))


def host_id(instance):
    """sha224 of project + host: the same for a project's servers on a host.

    Empty while the server has no host.
    """
    host = instance.get('host')
    if not host:
        return ''
    return _host_id(instance.get('project_id') or '', host)


@functools.lru_cache(maxsize=1024)
def _host_id(project_id, host):
    data = '%s%s' % (project_id, host)
    return hashlib.sha224(data.encode('utf-8')).hexdigest()


def disk_config(instance):
    return 'AUTO' if instance.get('auto_disk_config') else 'MANUAL'


def _links(req, instance):
    return _links_to(*_link_bases(req), str(instance['uuid']))


def _links_to(base, bookmark, uuid):
    return [{'rel': 'self', 'href': base + 'servers/' + uuid},
            {'rel': 'bookmark', 'href': bookmark + 'servers/' + uuid}]


def _ip_version(address, version):
    if version in (4, 6):
        return version
    try:
        return ipaddress.ip_address(address).version
    except ValueError:
        return 4


def addresses(instance, extended=True):
    """{network name: [{addr, version, ...}]}; {} while building.

    ``extended`` adds OS-EXT-IPS:type and OS-EXT-IPS-MAC:mac_addr (left
    out of the reduced PUT/rebuild views before 2.75).
    """
    if instance.get('vm_state') == states.BUILDING:
        return {}
    entries = instance.get('addresses')
    if entries is None:
        # An instance that did not come from the database (addresses is
        # written with network_info there).
        entries = network_model.addresses(instance.get('network_info'))
    grouped = {}
    for entry in entries:
        address = entry['address']
        item = {'addr': address,
                'version': _ip_version(address, entry.get('version'))}
        if extended:
            item['OS-EXT-IPS:type'] = entry.get('type') or 'fixed'
            if entry.get('mac_address'):
                item['OS-EXT-IPS-MAC:mac_addr'] = entry['mac_address']
        grouped.setdefault(entry.get('network') or 'private',
                           []).append(item)
    return grouped


def _fault(instance, show_details):
    """The last fault; its details (a traceback for 500s) for admins only."""
    fault = instance.get('fault')
    if not fault:
        return None
    code = fault.get('code')
    view = {'code': code,
            'created': _zulu(fault.get('created_at')),
            'message': fault.get('message') or ''}
    if (show_details or code != 500) and fault.get('details'):
        view['details'] = fault['details']
    return view


def _config_drive(instance):
    value = instance.get('config_drive')
    if value is None or value is False:
        return ''
    return str(value)


def _security_groups(instance):
    """[{'name': ...}] from the names (or {'name'} dicts) stored."""
    return [{'name': group['name'] if isinstance(group, dict) else group}
            for group in instance.get('security_groups') or []]


def _locked_reason(instance):
    if not instance.get('locked'):
        return None
    if 'locked_reason' in instance:
        # What the lists fetch instead of the whole system_metadata.
        return instance['locked_reason']
    return _get(instance.get('system_metadata'), 'locked_reason')


# -- the views ---------------------------------------------------------------

# The instance keys basic() and detail() read: the lists ask the conductor
# for these only ('locked_reason' is the key of system_metadata the views
# read, which the database reads out).  Whatever a view starts reading must
# be added here (the unit tests check that the views of a reduced instance
# do not change).
BASIC_KEYS = frozenset(('uuid', 'display_name'))
DETAIL_KEYS = frozenset((
    'id', 'uuid', 'display_name', 'display_description', 'vm_state',
    'task_state', 'power_state', 'deleted', 'project_id', 'user_id',
    'metadata', 'fault', 'host', 'node', 'image_ref', 'flavor',
    'created_at', 'updated_at', 'launched_at', 'terminated_at',
    'addresses', 'access_ip_v4', 'access_ip_v6', 'auto_disk_config',
    'progress', 'key_name', 'config_drive', 'availability_zone',
    'security_groups', 'hostname', 'kernel_id', 'ramdisk_id',
    'launch_index', 'reservation_id', 'root_device_name', 'user_data',
    'locked', 'tags', 'locked_reason'))

def basic(req, instance):
    """A GET /servers item: id, name and links."""
    return {'id': instance['uuid'],
            'name': instance.get('display_name') or '',
            'links': _links(req, instance)}


class ServerView:
    """The server view of one request, as a function of the instance.

    Every decision that does not depend on the instance (microversion,
    policy, link prefixes) is made once here, so that a list of 1,000
    servers costs a dict per server and little else; show, detail, PUT and
    rebuild all build their views through this one class.

    show_admin_fields: the caller may see the OS-EXT-SRV-ATTR fields and
        fault details (extended server attributes policy).
    show_extra_specs: the embedded flavor's extra_specs (2.47+) policy.
    full: the full view; False is the reduced PUT/rebuild view before
        2.75 (the 2.1 core plus the versioned additions: no key_name,
        config_drive, AZ, OS-SRV-USG, OS-EXT-STS, OS-EXT-SRV-ATTR,
        security_groups, volumes_attached or host_status, and addresses
        with only addr and version).
    server_groups: add server_groups (2.71+): GET show, PUT and rebuild,
        never /servers/detail.
    """

    def __init__(self, req, show_admin_fields=False, show_extra_specs=True,
                 full=True, server_groups=False):
        self.base, self.bookmark = _link_bases(req)
        self.show_admin_fields = show_admin_fields
        self.show_extra_specs = show_extra_specs
        self.full = full
        self.embedded_flavor = _at(req, EMBEDDED_FLAVOR)
        self.name_template = req.conf.instance_name_template
        self.extended_attributes = (show_admin_fields and
                                    _at(req, EXTENDED_ATTRIBUTES))
        self.hostname_for_all = (not show_admin_fields and
                                 _at(req, HOSTNAME_FOR_ALL))
        self.host_status = _at(req, HOST_STATUS)
        self.locked = _at(req, LOCKED)
        self.description = _at(req, DESCRIPTION)
        self.tags = _at(req, TAGS)
        self.trusted_certs = _at(req, TRUSTED_CERTS)
        self.server_groups = server_groups and _at(req, SERVER_GROUPS)
        self.locked_reason = _at(req, LOCKED_REASON)

    def __call__(self, instance, host_status=None, server_groups=None):
        """host_status: 'UP'/'DOWN'/'MAINTENANCE'/'UNKNOWN'/'' when the
        caller may see it (2.16+), None to leave it out.  server_groups:
        the uuids of the groups the server is in (default none)."""
        get = instance.get
        server_status = status(instance)
        image_ref = get('image_ref')
        flavor = get('flavor')
        created_at = get('created_at')
        view = {
            'id': instance['uuid'],
            'name': get('display_name') or '',
            'status': server_status,
            'tenant_id': get('project_id'),
            'user_id': get('user_id'),
            'metadata': dict(get('metadata') or {}),
            'hostId': host_id(instance),
            # '' for a server booted from a volume.
            'image': {'id': image_ref, 'links': [{
                'rel': 'bookmark',
                'href': self.bookmark + 'images/' + str(image_ref)}]}
            if image_ref else '',
            'flavor': self._flavor(flavor) if flavor else {},
            'created': _zulu(created_at),
            'updated': _zulu(get('updated_at') or created_at),
            'addresses': addresses(instance, extended=self.full),
            'accessIPv4': get('access_ip_v4') or '',
            'accessIPv6': get('access_ip_v6') or '',
            'links': _links_to(self.base, self.bookmark,
                               str(instance['uuid'])),
            'OS-DCF:diskConfig': disk_config(instance),
        }
        if server_status in PROGRESS_STATUSES:
            view['progress'] = int(get('progress') or 0)
        if server_status in FAULT_STATUSES:
            fault = _fault(instance, self.show_admin_fields)
            if fault is not None:
                view['fault'] = fault
        if self.full:
            self._extended(view, instance, host_status)
        if self.locked:
            view['locked'] = bool(get('locked'))
        if self.description:
            view['description'] = get('display_description')
        if self.tags:
            view['tags'] = list(get('tags') or [])
        if self.trusted_certs:
            # Certificate validation of images is not offered: always null.
            view['trusted_image_certificates'] = None
        if self.server_groups:
            view['server_groups'] = list(server_groups or [])
        if self.locked_reason:
            view['locked_reason'] = _locked_reason(instance)
        return view

    def _flavor(self, flavor):
        """A link to the flavor before 2.47, the flavor's values from 2.47.

        The values are those the server was created (or resized) with, so
        later flavor edits do not show.
        """
        get = flavor.get
        if not self.embedded_flavor:
            flavor_id = get('flavorid')
            flavor_id = '' if flavor_id is None else str(flavor_id)
            return {'id': flavor_id,
                    'links': [{'rel': 'bookmark',
                               'href': self.bookmark + 'flavors/' +
                               flavor_id}]}
        name = get('name')
        view = {
            'vcpus': int(get('vcpus') or 0),
            'ram': int(get('memory_mb') or 0),
            'disk': int(get('root_gb') or 0),
            'ephemeral': int(get('ephemeral_gb') or 0),
            'swap': int(get('swap') or 0),
            'original_name': '' if name is None else name,
        }
        if self.show_extra_specs:
            view['extra_specs'] = {str(k): str(v) for k, v in
                                   (get('extra_specs') or {}).items()}
        return view

    def _extended(self, view, instance, host_status):
        """The fields the full view adds to the reduced one."""
        get = instance.get
        view['key_name'] = get('key_name')
        view['config_drive'] = _config_drive(instance)
        view['OS-EXT-AZ:availability_zone'] = get('availability_zone') or ''
        view['OS-SRV-USG:launched_at'] = _naive(get('launched_at'))
        view['OS-SRV-USG:terminated_at'] = _naive(get('terminated_at'))
        view['OS-EXT-STS:task_state'] = get('task_state')
        view['OS-EXT-STS:vm_state'] = get('vm_state')
        view['OS-EXT-STS:power_state'] = int(get('power_state') or 0)
        # Volumes are not attached here yet; the items would be {'id'}
        # plus, from 2.3, 'delete_on_termination'.
        view['os-extended-volumes:volumes_attached'] = []
        if get('security_groups'):
            view['security_groups'] = _security_groups(instance)
        if self.show_admin_fields:
            view['OS-EXT-SRV-ATTR:host'] = get('host')
            view['OS-EXT-SRV-ATTR:hypervisor_hostname'] = get('node')
            view['OS-EXT-SRV-ATTR:instance_name'] = names.instance_name(
                self.name_template, instance)
            if self.extended_attributes:
                view['OS-EXT-SRV-ATTR:hostname'] = get('hostname') or ''
                view['OS-EXT-SRV-ATTR:kernel_id'] = get('kernel_id')
                view['OS-EXT-SRV-ATTR:launch_index'] = int(
                    get('launch_index') or 0)
                view['OS-EXT-SRV-ATTR:ramdisk_id'] = get('ramdisk_id')
                view['OS-EXT-SRV-ATTR:reservation_id'] = get(
                    'reservation_id')
                view['OS-EXT-SRV-ATTR:root_device_name'] = get(
                    'root_device_name')
                view['OS-EXT-SRV-ATTR:user_data'] = get('user_data')
        elif self.hostname_for_all:
            view['OS-EXT-SRV-ATTR:hostname'] = get('hostname') or ''
        if host_status is not None and self.host_status:
            view['host_status'] = host_status


def show(req, instance, show_admin_fields=False, host_status=None,
         show_server_groups=False, server_groups=None, show_extra_specs=True):
    """The full server view (GET /servers/{id}, without the wrapper); the
    arguments are ServerView's and its call's."""
    return ServerView(req, show_admin_fields, show_extra_specs,
                      server_groups=show_server_groups)(
        instance, host_status, server_groups)


def detail(req, instance, show_admin_fields=False, host_status=None,
           show_extra_specs=True):
    """A GET /servers/detail item: the show view without server_groups."""
    return ServerView(req, show_admin_fields, show_extra_specs)(
        instance, host_status)


def _reduced(req, instance, show_admin_fields, server_groups,
             show_extra_specs):
    """The PUT/rebuild view before 2.75 (ServerView's full=False)."""
    return ServerView(req, show_admin_fields, show_extra_specs, full=False,
                      server_groups=True)(instance, None, server_groups)


def update_body(req, instance, show_admin_fields=False, host_status=None,
                server_groups=None, show_extra_specs=True):
    """The PUT /servers/{id} 200 body: {'server': ...}."""
    if _at(req, FULL_UPDATE_VIEW):
        view = show(req, instance, show_admin_fields=show_admin_fields,
                    host_status=host_status, show_server_groups=True,
                    server_groups=server_groups,
                    show_extra_specs=show_extra_specs)
    else:
        view = _reduced(req, instance, show_admin_fields, server_groups,
                        show_extra_specs)
    return {'server': view}


def rebuild_body(req, instance, admin_password=None,
                 show_admin_fields=False, host_status=None,
                 server_groups=None, show_extra_specs=True):
    """The rebuild action's 202 body: {'server': ...}.

    Like PUT, plus key_name (2.54) and user_data (2.57; from 2.75 it
    replaces OS-EXT-SRV-ATTR:user_data) and adminPass when one was set.
    """
    if _at(req, FULL_UPDATE_VIEW):
        view = show(req, instance, show_admin_fields=show_admin_fields,
                    host_status=host_status, show_server_groups=True,
                    server_groups=server_groups,
                    show_extra_specs=show_extra_specs)
        view.pop('OS-EXT-SRV-ATTR:user_data', None)
    else:
        view = _reduced(req, instance, show_admin_fields, server_groups,
                        show_extra_specs)
    if _at(req, REBUILD_KEY_NAME):
        view['key_name'] = instance.get('key_name')
    if _at(req, REBUILD_USER_DATA):
        view['user_data'] = instance.get('user_data')
    if admin_password is not None:
        view['adminPass'] = admin_password
    return {'server': view}


def created(req, instance, admin_password=None):
    """The POST /servers 202 body for one server.

    adminPass is left out when admin_password is None (passwords disabled
    by [api] enable_instance_password).
    """
    view = {'id': instance['uuid'],
            'links': _links(req, instance),
            'OS-DCF:diskConfig': disk_config(instance)}
    groups = _security_groups(instance)
    if groups:
        view['security_groups'] = groups
    if admin_password is not None:
        view['adminPass'] = admin_password
    return {'server': view}


def reservation_body(reservation_id):
    """The POST /servers 202 body when return_reservation_id was asked."""
    return {'reservation_id': reservation_id}


def collection(req, instances, builder, limit):
    """{'servers': [...]} plus servers_links when the page is full."""
    body = {'servers': [builder(req, instance) for instance in instances]}
    links = common.next_links(req, instances, limit, 'uuid')
    if links:
        body['servers_links'] = links
    return body
