"""Host filters: which compute nodes can take one instance of a request.

Hosts are the plain dicts the conductor sends (one per compute node); the
request spec is a plain dict too.  Each filter turns the request into a
``host -> bool`` check once (``prepare``), so the per-host work is a few
dict lookups and comparisons: a decision over thousands of hosts has to stay
in the low milliseconds.  ``filter_hosts`` runs the enabled filters in order
and counts what each one removed, which becomes the "No valid host" fault.
"""

import datetime

from nova.compute import aggregates as aggregate_rules
from nova.scheduler import extra_specs_ops
from nova.scheduler import utils as scheduler_utils
from nova import servicegroup

# The canonical upstream text comes first so clients matching on it keep
# working; faults are cut at 255 characters, so the detail goes after it.
NO_VALID_HOST = ('No valid host was found. '
                 'There are not enough hosts available.')


# -- what the request needs, computed once per request

def _hint_uuids(hints, key):
    """A scheduler hint that may be one uuid or a list of them, as a set."""
    value = (hints or {}).get(key)
    if not value:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


def _aggregate_extra_specs(flavor):
    """[(metadata key, requirement)] of the flavor's extra specs that its
    hosts' aggregates must match: those in the
    aggregate_instance_extra_specs scope and, as upstream, those in no
    scope at all (other scopes, 'hw:...', 'resources:...', are not the
    aggregates' business)."""
    wanted = []
    for key, requirement in (flavor.get('extra_specs') or {}).items():
        scope, colon, rest = key.partition(':')
        if not colon:
            wanted.append((key, str(requirement)))
        elif scope == aggregate_rules.EXTRA_SPECS_SCOPE:
            wanted.append((rest, str(requirement)))
    return tuple(wanted)


def _first_property(properties, *names):
    for name in names:
        value = properties.get(name)
        if value:
            return value
    return None


class RequestNeeds:
    """The parts of a request spec the filters look at, parsed once."""

    __slots__ = ('vcpus', 'memory_mb', 'disk_gb', 'availability_zone',
                 'image_properties', 'same_host', 'different_host',
                 'ignore_hosts', 'project_id', 'aggregate_extra_specs',
                 'group_policy', 'group_rules', 'group_hosts')

    def __init__(self, spec):
        # The same figures the conductor claims, so a host that passes
        # can take the claim.
        self.vcpus, self.memory_mb, self.disk_gb = \
            scheduler_utils.flavor_resources(spec['flavor'])
        self.availability_zone = spec.get('availability_zone') or None
        image = spec.get('image') or {}
        self.image_properties = image.get('properties') or {}
        hints = spec.get('scheduler_hints')
        self.same_host = _hint_uuids(hints, 'same_host')
        self.different_host = _hint_uuids(hints, 'different_host')
        self.ignore_hosts = frozenset(spec.get('ignore_hosts') or ())
        self.project_id = spec.get('project_id')
        self.aggregate_extra_specs = _aggregate_extra_specs(spec['flavor'])
        group = spec.get('instance_group') or {}
        self.group_policy = group.get('policy')
        self.group_rules = group.get('rules') or {}
        # {host: members it runs}: filled by filter_hosts, which sees
        # every host (a member may run on one the other filters drop).
        self.group_hosts = {}


# -- the filters
#
# Each filter class has a ``reason`` (a few words for the fault message) and
# ``prepare(needs, conf, now)`` returning the per-host check, or None when the
# request asks nothing of this filter (then it removes no host and costs
# nothing).

class IgnoreHostsFilter:
    """Drops hosts the request must not land on: those it already failed
    on (reschedules), the instance's own host for a move."""

    reason = "already tried, or the instance's own host"

    @staticmethod
    def prepare(needs, conf, now):
        ignored = needs.ignore_hosts
        if not ignored:
            return None
        return lambda host: host['host'] not in ignored


class AvailabilityZoneFilter:
    """Keeps hosts in the requested availability zone, if one was asked:
    the zone of the host's aggregates (host states' availability_zone),
    [DEFAULT] default_availability_zone for a host in none."""

    reason = 'wrong availability zone'

    @staticmethod
    def prepare(needs, conf, now):
        wanted = needs.availability_zone
        if wanted is None:
            return None
        # A node that reports no zone belongs to the default one.
        default_zone = conf.default_availability_zone
        return lambda host: (
            (host.get('availability_zone') or default_zone) == wanted)


class ComputeFilter:
    """Keeps hosts whose compute service is enabled and heartbeating."""

    reason = 'disabled or down'

    @staticmethod
    def prepare(needs, conf, now):
        down_time = conf.service_down_time
        is_up = servicegroup.service_is_up

        def check(host):
            service = host.get('service')
            return (bool(service) and not service.get('disabled')
                    and is_up(service, down_time, now))
        return check


class RamFilter:
    """Enough RAM left under the node's RAM allocation ratio."""

    reason = 'not enough RAM'

    @staticmethod
    def prepare(needs, conf, now):
        wanted = needs.memory_mb

        def check(host):
            return (host['memory_mb'] * host['ram_allocation_ratio']
                    - host['reserved_host_memory_mb']
                    - host['memory_mb_used']) >= wanted
        return check


class CoreFilter:
    """Enough vCPUs left under the node's CPU allocation ratio."""

    reason = 'not enough vCPUs'

    @staticmethod
    def prepare(needs, conf, now):
        wanted = needs.vcpus

        def check(host):
            return (host['vcpus'] * host['cpu_allocation_ratio']
                    - host['reserved_host_cpus']
                    - host['vcpus_used']) >= wanted
        return check


class DiskFilter:
    """Enough local disk left under the node's disk allocation ratio."""

    reason = 'not enough disk'

    @staticmethod
    def prepare(needs, conf, now):
        wanted = needs.disk_gb

        def check(host):
            return (host['local_gb'] * host['disk_allocation_ratio']
                    - host['reserved_host_disk_mb'] / 1024
                    - host['disk_gb_used']) >= wanted
        return check


# Old and alternative spellings, so "AMD64" on an image matches "x86_64" on
# a host.  Values are compared lower-cased after this mapping.
_ARCH_ALIASES = {'amd64': 'x86_64', 'x64': 'x86_64', 'em64t': 'x86_64',
                 'i386': 'i686', 'i486': 'i686', 'i586': 'i686',
                 'x86_32': 'i686', 'ia32': 'i686', 'arm64': 'aarch64'}
_HV_TYPE_ALIASES = {'xapi': 'xen'}
_VM_MODE_ALIASES = {'hv': 'hvm', 'baremetal': 'hvm', 'pv': 'xen'}
_VERSION_OPERATORS = {
    '>=': lambda a, b: a >= b, '<=': lambda a, b: a <= b,
    '==': lambda a, b: a == b, '!=': lambda a, b: a != b,
    '>': lambda a, b: a > b, '<': lambda a, b: a < b}


def _canonical(value, aliases):
    if not value:
        return None
    value = str(value).strip().lower()
    return aliases.get(value, value)


def _version_tuple(version):
    """'6.2' -> (6, 2, 0); an int hypervisor_version 6002000 -> (6, 2, 0).

    Hypervisors report versions packed three digits per part.
    """
    if isinstance(version, int):
        parts = []
        while version:
            version, part = divmod(version, 1000)
            parts.insert(0, part)
    else:
        parts = [int(part) for part in version.strip().split('.')]
    parts = (parts + [0, 0, 0])[:max(3, len(parts))]
    return tuple(parts)


def parse_version_requirement(text):
    """'>=6.0,<7' -> [(compare, (6, 0, 0)), (compare, (7, 0, 0))].

    Raises ValueError for anything it cannot read.
    """
    clauses = []
    for clause in text.split(','):
        clause = clause.strip()
        # Two-character operators first so '>=' is not read as '>'.
        for symbol in sorted(_VERSION_OPERATORS, key=len, reverse=True):
            if clause.startswith(symbol):
                version = _version_tuple(clause[len(symbol):])
                clauses.append((_VERSION_OPERATORS[symbol], version))
                break
        else:
            raise ValueError('bad version requirement %r' % text)
    return clauses


def _version_satisfies(host_version, clauses):
    have = _version_tuple(host_version)
    for compare, wanted in clauses:
        width = max(len(have), len(wanted))
        if not compare(have + (0,) * (width - len(have)),
                       wanted + (0,) * (width - len(wanted))):
            return False
    return True


def _entry_fits(entry, arch, hv_type, vm_mode):
    """Whether one [arch, hypervisor_type, vm_mode] entry fits the image."""
    if len(entry) != 3:
        return False
    return ((not arch or _canonical(entry[0], _ARCH_ALIASES) == arch)
            and (not hv_type
                 or _canonical(entry[1], _HV_TYPE_ALIASES) == hv_type)
            and (not vm_mode
                 or _canonical(entry[2], _VM_MODE_ALIASES) == vm_mode))


class ImagePropertiesFilter:
    """Keeps hosts that can run the image's architecture, hypervisor type,
    VM mode and requested hypervisor version (img_hv_requested_version)."""

    reason = 'image not supported'

    @staticmethod
    def prepare(needs, conf, now):
        props = needs.image_properties
        arch = _canonical(_first_property(
            props, 'hw_architecture', 'architecture'), _ARCH_ALIASES)
        hv_type = _canonical(_first_property(
            props, 'img_hv_type', 'hypervisor_type'), _HV_TYPE_ALIASES)
        vm_mode = _canonical(_first_property(
            props, 'hw_vm_mode', 'vm_mode'), _VM_MODE_ALIASES)
        requirement = props.get('img_hv_requested_version')
        clauses = None
        if requirement:
            try:
                clauses = parse_version_requirement(str(requirement))
            except ValueError:
                # An image demanding a version nobody can check runs
                # nowhere, rather than anywhere.
                return lambda host: False
        if not (arch or hv_type or vm_mode or clauses):
            return None

        # Fleets report a handful of distinct entries: judge each once per
        # request instead of canonicalising every entry of every host.
        verdicts = {}

        def runs_image(supported_instances):
            for entry in supported_instances or ():
                key = tuple(entry)
                fits = verdicts.get(key)
                if fits is None:
                    fits = verdicts[key] = _entry_fits(
                        key, arch, hv_type, vm_mode)
                if fits:
                    return True
            return False

        version_verdicts = {}

        def check(host):
            # Like upstream, a node that reports no version is not held to
            # the image's version requirement.
            version = host.get('hypervisor_version')
            if clauses and version:
                fits = version_verdicts.get(version)
                if fits is None:
                    fits = version_verdicts[version] = _version_satisfies(
                        version, clauses)
                if not fits:
                    return False
            if not (arch or hv_type or vm_mode):
                return True
            return runs_image(host.get('supported_instances'))
        return check


class SameHostFilter:
    """same_host hint: keeps hosts running one of the hinted instances."""

    reason = 'same_host hint'

    @staticmethod
    def prepare(needs, conf, now):
        wanted = needs.same_host
        if not wanted:
            return None
        return lambda host: not wanted.isdisjoint(
            host.get('instance_uuids') or ())


class DifferentHostFilter:
    """different_host hint: drops hosts running any hinted instance."""

    reason = 'different_host hint'

    @staticmethod
    def prepare(needs, conf, now):
        avoided = needs.different_host
        if not avoided:
            return None
        return lambda host: avoided.isdisjoint(
            host.get('instance_uuids') or ())


class AggregateInstanceExtraSpecsFilter:
    """Keeps hosts whose aggregates' metadata satisfies the flavor's
    ``aggregate_instance_extra_specs:<key>`` extra specs (and unscoped
    ones, as upstream): some value of <key> in the metadata of the host's
    aggregates must match (extra_specs_ops: '=', 's==', '<in>', '<or>',
    ...; a value 'a,b' is the values a and b).  A flavor without such
    specs asks nothing of any host."""

    reason = "aggregate metadata does not match the flavor's extra specs"

    @staticmethod
    def prepare(needs, conf, now):
        wanted = needs.aggregate_extra_specs
        if not wanted:
            return None
        # Hosts of the same aggregates have the same values: match each
        # value of a key once per request (a cache per key).
        wanted = [(key, requirement, {}) for key, requirement in wanted]
        match = extra_specs_ops.match

        def check(host):
            metadata = host.get('aggregate_metadata')
            if not metadata:
                return False
            for key, requirement, verdicts in wanted:
                for value in metadata.get(key) or ():
                    fits = verdicts.get(value)
                    if fits is None:
                        fits = verdicts[value] = match(value, requirement)
                    if fits:
                        break
                else:
                    return False
            return True
        return check


class AggregateMultiTenancyIsolation:
    """Keeps a host that an aggregate reserves (metadata keys starting
    with ``filter_tenant_id``: project ids, comma separated) for the
    projects it names; a host no aggregate reserves takes any project."""

    reason = 'reserved for other projects by an aggregate'

    @staticmethod
    def prepare(needs, conf, now):
        project_id = needs.project_id
        prefix = aggregate_rules.TENANT_KEY_PREFIX
        # Whether each key a host's metadata has names projects: a fleet
        # has a handful of keys, so decide each once.
        is_tenant_key = {}

        def check(host):
            metadata = host.get('aggregate_metadata')
            if not metadata:
                return True
            reserved = False
            for key in metadata:
                try:
                    tenant_key = is_tenant_key[key]
                except KeyError:
                    tenant_key = is_tenant_key[key] = key.startswith(prefix)
                if tenant_key:
                    if project_id in metadata[key]:
                        return True
                    reserved = True
            return not reserved
        return check


class ServerGroupAffinityFilter:
    """affinity: once a member of the server group runs somewhere, only
    the hosts running one."""

    reason = 'server group affinity'

    @staticmethod
    def prepare(needs, conf, now):
        if needs.group_policy != 'affinity' or not needs.group_hosts:
            return None
        hosts = needs.group_hosts
        return lambda host: host['host'] in hosts


class ServerGroupAntiAffinityFilter:
    """anti-affinity: hosts running fewer than max_server_per_host (1
    unless the group's rules say more, 2.64) of the group's members."""

    reason = 'server group anti-affinity'

    @staticmethod
    def prepare(needs, conf, now):
        if needs.group_policy != 'anti-affinity' or not needs.group_hosts:
            return None
        most = int(needs.group_rules.get('max_server_per_host') or 1)
        hosts = needs.group_hosts
        return lambda host: hosts.get(host['host'], 0) < most


ALL_FILTERS = {cls.__name__: cls for cls in (
    IgnoreHostsFilter, AvailabilityZoneFilter, ComputeFilter, RamFilter,
    CoreFilter, DiskFilter, ImagePropertiesFilter, SameHostFilter,
    DifferentHostFilter, AggregateInstanceExtraSpecsFilter,
    AggregateMultiTenancyIsolation,
    ServerGroupAffinityFilter, ServerGroupAntiAffinityFilter)}


def enabled_filters(conf):
    """The filter classes to run, in order; raises ValueError on a typo.

    IgnoreHostsFilter always runs first: a reschedule must never land on a
    host that already failed the build, whatever the operator configured.
    """
    names = [name for name in conf.scheduler.enabled_filters
             if name != 'IgnoreHostsFilter']
    unknown = [name for name in names if name not in ALL_FILTERS]
    if unknown:
        raise ValueError(
            'Unknown filter(s) in [scheduler] enabled_filters: %s. '
            'Available: %s' % (', '.join(unknown),
                               ', '.join(sorted(ALL_FILTERS))))
    return [IgnoreHostsFilter] + [ALL_FILTERS[name] for name in names]


# -- running them

class FilterReport:
    """How many hosts a filtering pass saw and how many each filter removed.

    ``removals`` lists (filter name, hosts removed, reason) in run order,
    only for filters that removed at least one host.
    """

    __slots__ = ('hosts_considered', 'hosts_passed', 'removals')

    def __init__(self, hosts_considered):
        self.hosts_considered = hosts_considered
        self.hosts_passed = hosts_considered
        self.removals = []

    def record(self, host_filter, removed):
        self.removals.append(
            (host_filter.__name__, removed, host_filter.reason))

    def removed_by(self, filter_name):
        for name, removed, _reason in self.removals:
            if name == filter_name:
                return removed
        return 0

    def __repr__(self):
        return '<FilterReport %d considered, %d passed, %s>' % (
            self.hosts_considered, self.hosts_passed, self.removals)


def _utcnow():
    # Heartbeats are stored as naive UTC.
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def filter_hosts(hosts, spec, conf, now=None):
    """Run the enabled filters over ``hosts`` for one instance of ``spec``.

    Returns (passing hosts in input order, FilterReport).  The host dicts
    are not copied or changed.  ``now`` is for tests (heartbeat age).
    """
    needs = RequestNeeds(spec)
    if needs.group_policy:
        needs.group_hosts = scheduler_utils.group_members_per_host(
            hosts, spec.get('instance_group'))
    now = now or _utcnow()
    report = FilterReport(len(hosts))
    remaining = list(hosts)
    for host_filter in enabled_filters(conf):
        if not remaining:
            break
        check = host_filter.prepare(needs, conf, now)
        if check is None:
            continue
        kept = list(filter(check, remaining))
        if len(kept) != len(remaining):
            report.record(host_filter, len(remaining) - len(kept))
            remaining = kept
    report.hosts_passed = len(remaining)
    return remaining, report


def no_valid_host_message(report):
    """The fault text for a request no host could take, e.g.

    "No valid host was found. There are not enough hosts available.
    3 hosts considered: ComputeFilter removed 1 (disabled or down),
    RamFilter removed 2 (not enough RAM)."
    """
    considered = '%d host%s considered' % (
        report.hosts_considered, '' if report.hosts_considered == 1 else 's')
    removals = ', '.join('%s removed %d (%s)' % removal
                         for removal in report.removals)
    if removals:
        return '%s %s: %s.' % (NO_VALID_HOST, considered, removals)
    return '%s %s.' % (NO_VALID_HOST, considered)
