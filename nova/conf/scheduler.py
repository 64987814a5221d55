"""[scheduler] options."""

from oslo_config import cfg

from nova.conf import groups

GROUP_NAME = 'scheduler'

# Cheapest checks first: each filter only sees the hosts the previous ones
# kept, so set lookups and plain comparisons should thin the list before the
# heartbeat and image checks run.
DEFAULT_FILTERS = [
    'AvailabilityZoneFilter',
    'ComputeFilter',
    'RamFilter',
    'CoreFilter',
    'DiskFilter',
    'ImagePropertiesFilter',
    'SameHostFilter',
    'DifferentHostFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
]

scheduler_opts = [
    cfg.IntOpt('max_attempts',
               default=3,
               min=1,
               help='Hosts tried for one build before it goes to ERROR.'),
    cfg.ListOpt('enabled_filters',
                default=DEFAULT_FILTERS,
                help="""
Host filters run for every scheduling request, in this order.

Available: AvailabilityZoneFilter, ComputeFilter, RamFilter, CoreFilter,
DiskFilter, ImagePropertiesFilter, SameHostFilter, DifferentHostFilter,
ServerGroupAntiAffinityFilter, ServerGroupAffinityFilter,
AggregateInstanceExtraSpecsFilter, AggregateMultiTenancyIsolation.
Hosts already tried for the request (retries) are always removed first,
whatever this list says.  An unknown name is a configuration error.

The two aggregate filters are off by default, as upstream's (its
[filter_scheduler] enabled_filters): AggregateInstanceExtraSpecsFilter
keeps the hosts whose aggregates' metadata matches the flavor's
``aggregate_instance_extra_specs:<key>`` extra specs;
AggregateMultiTenancyIsolation keeps the projects an aggregate's
``filter_tenant_id`` metadata names on its hosts, and every other project
off them.
"""),
    cfg.FloatOpt('ram_weight_multiplier',
                 default=1.0,
                 help="""
Multiplier for the free RAM weigher.  Positive values spread instances
across hosts (most free RAM wins), negative values stack them (least free
RAM wins), 0 disables the weigher.
"""),
    cfg.FloatOpt('cpu_weight_multiplier',
                 default=1.0,
                 help="""
Multiplier for the free vCPU weigher.  Positive spreads, negative stacks,
0 disables.
"""),
    cfg.FloatOpt('disk_weight_multiplier',
                 default=1.0,
                 help="""
Multiplier for the free disk weigher.  Positive spreads, negative stacks,
0 disables.
"""),
    cfg.FloatOpt('soft_affinity_weight_multiplier',
                 default=1.0, min=0,
                 help="""
Multiplier for the soft-affinity server group weigher: hosts running more
of the group's servers weigh more.
"""),
    cfg.FloatOpt('soft_anti_affinity_weight_multiplier',
                 default=1.0, min=0,
                 help="""
Multiplier for the soft-anti-affinity server group weigher: hosts running
fewer of the group's servers weigh more.
"""),
    cfg.IntOpt('host_subset_size',
               default=1,
               min=1,
               help="""
The host is picked at random among this many best-weighed hosts.  1 always
takes the best host; larger values lower the chance that concurrent
schedulers race for the same host.
"""),
]


def register_opts(conf):
    groups.register(conf, cfg.OptGroup(GROUP_NAME, title='Scheduler options'),
                    scheduler_opts)


def list_opts():
    return {GROUP_NAME: scheduler_opts}
