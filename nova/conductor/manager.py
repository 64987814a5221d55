"""Server side of the conductor RPC API.

Two kinds of endpoints: database proxies, each handing off to a data
function in nova.db (the conductor adds no policy: the API decided who may
ask), and the flows that span services, handed off to nova.conductor.build.
"""

import functools
import threading
import time

import oslo_messaging as messaging
from oslo_log import log as logging

from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import build
from nova.conductor import console_auth
from nova.conductor import evacuate
from nova.conductor import live_migrate
from nova.conductor import migrate
from nova.conductor import reaper
from nova.conductor import unshelve
from nova.db import actions as db_actions
from nova.db import aggregates as db_aggregates
from nova.db import compute_nodes as db_compute_nodes
from nova.db import flavors as db_flavors
from nova.db import instance_metadata as db_instance_metadata
from nova.db import instance_tags as db_instance_tags
from nova.db import instances as db_instances
from nova.db import keypairs as db_keypairs
from nova.db import moves as db_moves
from nova.db import network as db_network
from nova.db import reaper as db_reaper
from nova.db import resource_providers as db_resource_providers
from nova.db import quotas as db_quotas
from nova.db import server_groups as db_server_groups
from nova.db import services as db_services
from nova.db import usage as db_usage
from nova import exception
from nova.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)


def _proxy(func):
    """An endpoint method that runs func(**kwargs) and logs how long."""
    # Domain errors (not found, conflicts) are answers, not failures:
    # oslo.messaging logs expected exceptions at DEBUG, not as tracebacks.
    @messaging.expected_exceptions(exception.NovaException)
    @functools.wraps(func)
    def endpoint(self, context, **kwargs):
        start = time.monotonic()
        try:
            return func(**kwargs)
        finally:
            LOG.debug('%s took %.3fs', func.__name__,
                      time.monotonic() - start)
    return endpoint


class ConductorManager:

    target = messaging.Target(version='1.28')

    def __init__(self, conf, host):
        self.conf = conf
        self.host = host
        self._flow = None
        self._stop = threading.Event()

    def init_host(self):
        interval = self.conf.conductor.reap_interval
        if interval > 0:
            threading.Thread(target=self._reap_every, args=(interval,),
                             name='reaper', daemon=True).start()

    def cleanup_host(self):
        self._stop.set()

    def _reap_every(self, interval):
        while not self._stop.wait(interval):
            try:
                reaper.reap(self.conf, self.host)
            except Exception:
                LOG.exception('The reaper failed; trying again in %ss',
                              interval)
            try:
                console_auth.clean_expired()
            except Exception:
                LOG.exception('Deleting expired console tokens failed; '
                              'trying again in %ss', interval)

    @property
    def flow(self):
        # Built lazily: RPC clients need the transport, which tests and
        # nova-manage may set up after constructing the manager.
        if self._flow is None:
            self._flow = build.BuildFlow(
                self.conf, self.host, scheduler_rpcapi.SchedulerAPI(
                    timeout=self.conf.long_rpc_timeout),
                compute_rpcapi.ComputeAPI())
        return self._flow

    def ping(self, context, timeout=None):
        return 'pong'

    service_get_or_create = _proxy(db_services.service_get_or_create)
    service_heartbeat = _proxy(db_services.service_heartbeat)
    service_get = _proxy(db_services.service_get)
    service_get_by_host_and_binary = _proxy(
        db_services.service_get_by_host_and_binary)
    service_get_all = _proxy(db_services.service_get_all)
    service_update = _proxy(db_services.service_update)
    service_destroy = _proxy(db_services.service_destroy)

    flavor_get = _proxy(db_flavors.flavor_get)
    flavor_get_all = _proxy(db_flavors.flavor_get_all)
    flavor_create = _proxy(db_flavors.flavor_create)
    flavor_update = _proxy(db_flavors.flavor_update)
    flavor_destroy = _proxy(db_flavors.flavor_destroy)
    flavor_extra_specs_update = _proxy(db_flavors.flavor_extra_specs_update)
    flavor_extra_spec_delete = _proxy(db_flavors.flavor_extra_spec_delete)
    flavor_access_add = _proxy(db_flavors.flavor_access_add)
    flavor_access_remove = _proxy(db_flavors.flavor_access_remove)

    keypair_create = _proxy(db_keypairs.keypair_create)
    keypair_get = _proxy(db_keypairs.keypair_get)
    keypair_get_all = _proxy(db_keypairs.keypair_get_all)
    keypair_count = _proxy(db_keypairs.keypair_count)
    keypair_destroy = _proxy(db_keypairs.keypair_destroy)

    instances_create = _proxy(db_instances.instances_create)
    instance_get = _proxy(db_instances.instance_get)
    instance_get_all = _proxy(db_instances.instance_get_all)
    instance_get_all_with_services = _proxy(
        db_instances.instance_get_all_with_services)
    instance_get_all_by_host = _proxy(db_instances.instance_get_all_by_host)
    instance_update = _proxy(db_instances.instance_update)
    instance_update_and_event = _proxy(
        db_instances.instance_update_and_event)
    instance_update_within_quota = _proxy(
        db_instances.instance_update_within_quota)
    # For 1.5-1.6 clients; newer computes call instance_build_networking.
    instance_update_with_fixed_ip = _proxy(
        build.instance_update_with_fixed_ip)
    instance_build_networking = _proxy(build.instance_build_networking)
    instance_get_with_host_services = _proxy(
        db_instances.instance_get_with_host_services)
    instance_destroy = _proxy(db_instances.instance_destroy)
    instance_fault_create = _proxy(db_instances.instance_fault_create)
    instance_metadata_update = _proxy(
        db_instance_metadata.instance_metadata_update)
    instance_metadata_delete = _proxy(
        db_instance_metadata.instance_metadata_delete)
    instance_tags_set = _proxy(db_instance_tags.instance_tags_set)
    instance_tag_add = _proxy(db_instance_tags.instance_tag_add)
    instance_tag_delete = _proxy(db_instance_tags.instance_tag_delete)
    instance_usage = _proxy(db_instances.instance_usage)
    instance_get_active_by_window = _proxy(
        db_usage.instance_get_active_by_window)

    action_start = _proxy(db_actions.action_start)
    event_start = _proxy(db_actions.event_start)
    event_finish = _proxy(db_actions.event_finish)
    actions_get = _proxy(db_actions.actions_get)
    action_get_by_request_id = _proxy(db_actions.action_get_by_request_id)

    compute_node_update_or_create = _proxy(
        db_compute_nodes.compute_node_update_or_create)
    host_states_get_all = _proxy(db_compute_nodes.host_states_get_all)
    compute_node_get_all = _proxy(db_compute_nodes.compute_node_get_all)
    compute_node_get = _proxy(db_compute_nodes.compute_node_get)
    allocation_claim = _proxy(db_compute_nodes.allocation_claim)
    allocations_delete = _proxy(db_compute_nodes.allocations_delete)
    instance_abort = _proxy(db_reaper.abort)

    resource_providers_get = _proxy(
        db_resource_providers.resource_providers_get)
    resource_provider_get = _proxy(
        db_resource_providers.resource_provider_get)
    resource_provider_allocations_get = _proxy(
        db_resource_providers.resource_provider_allocations_get)
    consumer_allocations_get = _proxy(
        db_resource_providers.consumer_allocations_get)
    usages_get = _proxy(db_resource_providers.usages_get)

    aggregate_create = _proxy(db_aggregates.aggregate_create)
    aggregate_get = _proxy(db_aggregates.aggregate_get)
    aggregate_get_all = _proxy(db_aggregates.aggregate_get_all)
    aggregate_update = _proxy(db_aggregates.aggregate_update)
    aggregate_metadata_set = _proxy(db_aggregates.aggregate_metadata_set)
    aggregate_delete = _proxy(db_aggregates.aggregate_delete)
    aggregate_host_add = _proxy(db_aggregates.aggregate_host_add)
    aggregate_host_remove = _proxy(db_aggregates.aggregate_host_remove)
    availability_zones_by_host = _proxy(
        db_aggregates.availability_zones_by_host)

    fixed_ip_allocate = _proxy(db_network.fixed_ip_allocate)
    fixed_ips_release = _proxy(db_network.fixed_ips_release)
    fixed_ip_get_all = _proxy(db_network.fixed_ip_get_all)

    server_group_create = _proxy(db_server_groups.server_group_create)
    server_group_get = _proxy(db_server_groups.server_group_get)
    server_group_get_all = _proxy(db_server_groups.server_group_get_all)
    server_group_delete = _proxy(db_server_groups.server_group_delete)
    server_group_get_by_instance = _proxy(
        db_server_groups.server_group_get_by_instance)

    quota_get_all = _proxy(db_quotas.quota_get_all)
    quota_get = _proxy(db_quotas.quota_get)
    quota_update = _proxy(db_quotas.quota_update)
    quota_destroy_all = _proxy(db_quotas.quota_destroy_all)
    quota_class_get = _proxy(db_quotas.quota_class_get)
    quota_class_update = _proxy(db_quotas.quota_class_update)

    migration_get = _proxy(db_moves.migration_get)
    migration_update = _proxy(db_moves.migration_update)
    migration_get_by_instance_and_status = _proxy(
        db_moves.migration_get_by_instance_and_status)
    migrations_get_all = _proxy(db_moves.migrations_get_all)
    allocations_move = _proxy(db_moves.allocations_move)
    compute_node_get_by_host_and_nodename = _proxy(
        db_compute_nodes.compute_node_get_by_host_and_nodename)

    @messaging.expected_exceptions(exception.NovaException)
    def console_auth_token_create(self, context, instance_uuid,
                                  console_type, host, port, access_url_base,
                                  internal_access_path=None):
        return console_auth.authorize(
            self.conf, instance_uuid, console_type, host, port,
            access_url_base, internal_access_path)

    console_auth_token_validate = _proxy(console_auth.validate)

    def schedule_and_build_instances(self, context, request_spec,
                                     instance_uuids):
        self.flow.schedule_and_build(context, request_spec, instance_uuids)

    def migrate_server(self, context, instance_uuid, flavor, host=None):
        migrate.migrate_server(self.flow, context, instance_uuid, flavor,
                               host)

    def evacuate_instance(self, context, instance_uuid, host=None,
                          force=False, admin_password=None):
        evacuate.evacuate(self.flow, context, instance_uuid, host, force,
                          admin_password)

    def live_migrate_instance(self, context, instance_uuid, host=None,
                              block_migration=None, force=False):
        live_migrate.live_migrate(self.flow, context, instance_uuid, host,
                                  block_migration, force)

    @messaging.expected_exceptions(exception.NovaException)
    def check_and_live_migrate_instance(self, context, instance_uuid,
                                        host=None, block_migration=None,
                                        force=False):
        live_migrate.live_migrate(self.flow, context, instance_uuid, host,
                                  block_migration, force,
                                  raise_pre_check=True)

    def unshelve_instance(self, context, instance_uuid,
                          availability_zone=None, host=None,
                          unpin_zone=False):
        unshelve.unshelve(self.flow, context, instance_uuid,
                          availability_zone, host, unpin_zone)

    def build_instances(self, context, request_spec, instance_uuid,
                        alternates, attempt, reason):
        self.flow.reschedule(context, request_spec, instance_uuid,
                             alternates, attempt, reason)
