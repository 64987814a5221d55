"""SQLAlchemy models.  Every schema change also needs an alembic revision."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Base(orm.DeclarativeBase):
    pass


class TimestampMixin:
    created_at = sa.Column(sa.DateTime, default=_utcnow)
    updated_at = sa.Column(sa.DateTime, onupdate=_utcnow)


class SoftDeleteMixin:
    # 0 while live, the row id once deleted, so unique constraints that
    # include it keep working across deleted rows (as Nova does).
    deleted_at = sa.Column(sa.DateTime)
    deleted = sa.Column(sa.Integer, default=0, nullable=False)


class Service(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'services'
    __table_args__ = (
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        sa.UniqueConstraint('uuid', name='uniq_services0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    host = sa.Column(sa.String(255), nullable=False)
    binary = sa.Column(sa.String(255), nullable=False)
    topic = sa.Column(sa.String(255))
    report_count = sa.Column(sa.Integer, nullable=False, default=0)
    disabled = sa.Column(sa.Boolean, nullable=False, default=False)
    disabled_reason = sa.Column(sa.String(255))
    last_seen_up = sa.Column(sa.DateTime)
    forced_down = sa.Column(sa.Boolean, nullable=False, default=False)
    version = sa.Column(sa.Integer, nullable=False, default=0)


class Flavor(Base, TimestampMixin):
    __tablename__ = 'flavors'
    __table_args__ = (
        sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    flavorid = sa.Column(sa.String(255), nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    memory_mb = sa.Column(sa.Integer, nullable=False)
    vcpus = sa.Column(sa.Integer, nullable=False)
    root_gb = sa.Column(sa.Integer, nullable=False, default=0)
    ephemeral_gb = sa.Column(sa.Integer, nullable=False, default=0)
    swap = sa.Column(sa.Integer, nullable=False, default=0)
    rxtx_factor = sa.Column(sa.Float, nullable=False, default=1.0)
    vcpu_weight = sa.Column(sa.Integer)
    disabled = sa.Column(sa.Boolean, nullable=False, default=False)
    is_public = sa.Column(sa.Boolean, nullable=False, default=True)
    description = sa.Column(sa.Text)

    extra_specs = orm.relationship(
        'FlavorExtraSpec', cascade='all, delete-orphan', lazy='selectin')
    projects = orm.relationship(
        'FlavorProject', cascade='all, delete-orphan', lazy='selectin')


class FlavorExtraSpec(Base, TimestampMixin):
    __tablename__ = 'flavor_extra_specs'
    __table_args__ = (
        sa.UniqueConstraint('flavor_id', 'key',
                            name='uniq_flavor_extra_specs0flavor_id0key'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id'),
                          nullable=False)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255))


class FlavorProject(Base, TimestampMixin):
    __tablename__ = 'flavor_projects'
    __table_args__ = (
        sa.UniqueConstraint('flavor_id', 'project_id',
                            name='uniq_flavor_projects0flavor_id0project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id'),
                          nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)


class KeyPair(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'key_pairs'
    __table_args__ = (
        sa.UniqueConstraint('user_id', 'name', 'deleted',
                            name='uniq_key_pairs0user_id0name0deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    fingerprint = sa.Column(sa.String(255))
    public_key = sa.Column(sa.Text)
    type = sa.Column(sa.Enum('ssh', 'x509', name='keypair_types'),
                     nullable=False, server_default='ssh')


class Instance(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'instances'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        # A project's list, newest first, read in index order: no sort of
        # the whole rows (4-5 ms of SQLite's time for 1,000 servers).
        sa.Index('instances_project_id_deleted_created_at_idx',
                 'project_id', 'deleted', 'created_at', 'id'),
        sa.Index('instances_host_deleted_idx', 'host', 'deleted'),
        sa.Index('instances_created_at_idx', 'created_at'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)
    display_name = sa.Column(sa.String(255))
    display_description = sa.Column(sa.Text)
    hostname = sa.Column(sa.String(255))
    image_ref = sa.Column(sa.String(255))
    kernel_id = sa.Column(sa.String(255))
    ramdisk_id = sa.Column(sa.String(255))
    key_name = sa.Column(sa.String(255))
    key_data = sa.Column(sa.Text)
    power_state = sa.Column(sa.Integer, nullable=False, default=0)
    vm_state = sa.Column(sa.String(255))
    task_state = sa.Column(sa.String(255))
    memory_mb = sa.Column(sa.Integer)
    vcpus = sa.Column(sa.Integer)
    root_gb = sa.Column(sa.Integer)
    ephemeral_gb = sa.Column(sa.Integer)
    # The flavor as it was at create (later flavor edits do not change it):
    # {flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb, swap,
    #  extra_specs, ...}
    flavor = sa.Column(sa.JSON)
    host = sa.Column(sa.String(255))
    node = sa.Column(sa.String(255))
    launched_on = sa.Column(sa.String(255))
    launched_at = sa.Column(sa.DateTime)
    terminated_at = sa.Column(sa.DateTime)
    availability_zone = sa.Column(sa.String(255))
    reservation_id = sa.Column(sa.String(255))
    launch_index = sa.Column(sa.Integer)
    locked = sa.Column(sa.Boolean, nullable=False, default=False)
    locked_by = sa.Column(sa.String(16))
    user_data = sa.Column(sa.Text)
    config_drive = sa.Column(sa.String(255))
    access_ip_v4 = sa.Column(sa.String(39))
    access_ip_v6 = sa.Column(sa.String(39))
    auto_disk_config = sa.Column(sa.Boolean, nullable=False, default=False)
    progress = sa.Column(sa.Integer)
    root_device_name = sa.Column(sa.String(255))
    # image_* properties, old_vm_state, locked_reason, shelved_* ...
    system_metadata = sa.Column(sa.JSON)
    # The instance's VIFs (nova.network.model): what the driver plugs.
    network_info = sa.Column(sa.JSON)
    # What the server views show of them, written with network_info
    # (nova.network.model.addresses): a long list carries this, not that.
    addresses = sa.Column(sa.JSON)
    security_groups = sa.Column(sa.JSON)
    block_device_mapping = sa.Column(sa.JSON)
    scheduler_hints = sa.Column(sa.JSON)
    tags = sa.Column(sa.JSON)

    metadata_items = orm.relationship(
        'InstanceMetadata', cascade='all, delete-orphan', lazy='selectin')


class InstanceMetadata(Base, TimestampMixin):
    __tablename__ = 'instance_metadata'
    __table_args__ = (
        sa.UniqueConstraint('instance_id', 'key',
                            name='uniq_instance_metadata0instance_id0key'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    instance_id = sa.Column(sa.Integer, sa.ForeignKey('instances.id'),
                            nullable=False)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255))


class InstanceFault(Base, TimestampMixin):
    __tablename__ = 'instance_faults'
    __table_args__ = (
        sa.Index('instance_faults_instance_uuid_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    code = sa.Column(sa.Integer, nullable=False)
    message = sa.Column(sa.String(255))
    details = sa.Column(sa.Text)
    host = sa.Column(sa.String(255))


class InstanceAction(Base, TimestampMixin):
    __tablename__ = 'instance_actions'
    __table_args__ = (
        sa.Index('instance_actions_instance_uuid_idx', 'instance_uuid'),
        sa.Index('instance_actions_request_id_idx', 'request_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    action = sa.Column(sa.String(255))
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    request_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    start_time = sa.Column(sa.DateTime)
    finish_time = sa.Column(sa.DateTime)
    message = sa.Column(sa.String(255))

    events = orm.relationship(
        'InstanceActionEvent', cascade='all, delete-orphan', lazy='selectin',
        order_by='InstanceActionEvent.id')


class InstanceActionEvent(Base, TimestampMixin):
    __tablename__ = 'instance_actions_events'

    id = sa.Column(sa.Integer, primary_key=True)
    action_id = sa.Column(sa.Integer, sa.ForeignKey('instance_actions.id'),
                          nullable=False)
    event = sa.Column(sa.String(255))
    start_time = sa.Column(sa.DateTime)
    finish_time = sa.Column(sa.DateTime)
    result = sa.Column(sa.String(255))
    traceback = sa.Column(sa.Text)
    host = sa.Column(sa.String(255))
    details = sa.Column(sa.Text)


class ComputeNode(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'compute_nodes'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
        sa.UniqueConstraint(
            'host', 'hypervisor_hostname', 'deleted',
            name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    host = sa.Column(sa.String(255), nullable=False)
    hypervisor_hostname = sa.Column(sa.String(255), nullable=False)
    hypervisor_type = sa.Column(sa.String(255))
    hypervisor_version = sa.Column(sa.Integer)
    host_ip = sa.Column(sa.String(39))
    cpu_info = sa.Column(sa.Text)
    vcpus = sa.Column(sa.Integer, nullable=False)
    memory_mb = sa.Column(sa.Integer, nullable=False)
    local_gb = sa.Column(sa.Integer, nullable=False)
    cpu_allocation_ratio = sa.Column(sa.Float, nullable=False)
    ram_allocation_ratio = sa.Column(sa.Float, nullable=False)
    disk_allocation_ratio = sa.Column(sa.Float, nullable=False)
    reserved_host_cpus = sa.Column(sa.Integer, nullable=False, default=0)
    reserved_host_memory_mb = sa.Column(sa.Integer, nullable=False,
                                        default=0)
    reserved_host_disk_mb = sa.Column(sa.Integer, nullable=False, default=0)
    # Image properties the hypervisor can run, for ImagePropertiesFilter:
    # [[arch, hypervisor_type, vm_mode], ...]
    supported_instances = sa.Column(sa.JSON)
    # The resource provider generation (Placement-compatible API): up by
    # one whenever the inventory or the allocations on the node change.
    generation = sa.Column(sa.Integer, nullable=False, default=0,
                           server_default='0')


class Allocation(Base):
    """Resources a consumer (instance or migration) holds on a node."""
    __tablename__ = 'allocations'
    __table_args__ = (
        sa.UniqueConstraint('consumer_uuid', 'compute_node_id',
                            name='uniq_allocations0consumer0node'),
        sa.Index('allocations_compute_node_id_idx', 'compute_node_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    consumer_uuid = sa.Column(sa.String(36), nullable=False)
    compute_node_id = sa.Column(sa.Integer, sa.ForeignKey('compute_nodes.id'),
                                nullable=False)
    project_id = sa.Column(sa.String(255))
    vcpus = sa.Column(sa.Integer, nullable=False, default=0)
    memory_mb = sa.Column(sa.Integer, nullable=False, default=0)
    disk_gb = sa.Column(sa.Integer, nullable=False, default=0)
    created_at = sa.Column(sa.DateTime, default=_utcnow)


class FixedIP(Base, TimestampMixin):
    """An address of the flat network held by an instance."""
    __tablename__ = 'fixed_ips'
    __table_args__ = (
        sa.UniqueConstraint('network', 'address',
                            name='uniq_fixed_ips0network0address'),
        sa.Index('fixed_ips_instance_uuid_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    network = sa.Column(sa.String(255), nullable=False)
    address = sa.Column(sa.String(39), nullable=False)
    mac_address = sa.Column(sa.String(17), nullable=False)
    instance_uuid = sa.Column(sa.String(36), nullable=False)


class Quota(Base, TimestampMixin):
    """A limit that differs from the defaults: the project's own (user_id
    '') or one of its users' (user_id the user's)."""
    __tablename__ = 'quotas'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'user_id', 'resource',
                            name='uniq_quotas0project_id0user_id0resource'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False, server_default='')
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer, nullable=False)


class QuotaClass(Base, TimestampMixin):
    """A limit of a quota class; the class 'default' holds the defaults
    every project gets instead of the [quota] options."""
    __tablename__ = 'quota_classes'
    __table_args__ = (
        sa.UniqueConstraint('class_name', 'resource',
                            name='uniq_quota_classes0class_name0resource'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    class_name = sa.Column(sa.String(255), nullable=False)
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer, nullable=False)


class Migration(Base, TimestampMixin, SoftDeleteMixin):
    """A move of an instance between hosts: cold migration, resize,
    live migration, evacuation."""
    __tablename__ = 'migrations'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_migrations0uuid'),
        sa.Index('migrations_instance_uuid_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    source_compute = sa.Column(sa.String(255))
    dest_compute = sa.Column(sa.String(255))
    source_node = sa.Column(sa.String(255))
    dest_node = sa.Column(sa.String(255))
    dest_host = sa.Column(sa.String(255))
    old_instance_type_id = sa.Column(sa.Integer)
    new_instance_type_id = sa.Column(sa.Integer)
    status = sa.Column(sa.String(255))
    migration_type = sa.Column(sa.String(255))
    hidden = sa.Column(sa.Boolean, nullable=False, default=False)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    # A live migration's progress (bytes), as the source's hypervisor
    # reports it while the migration runs.
    memory_total = sa.Column(sa.BigInteger)
    memory_processed = sa.Column(sa.BigInteger)
    memory_remaining = sa.Column(sa.BigInteger)
    disk_total = sa.Column(sa.BigInteger)
    disk_processed = sa.Column(sa.BigInteger)
    disk_remaining = sa.Column(sa.BigInteger)


class ServerGroup(Base, TimestampMixin):
    """A server group: its policy binds where its members are scheduled.
    Deleted for good (as upstream's API database does)."""
    __tablename__ = 'server_groups'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_server_groups0uuid'),
        sa.Index('server_groups_project_id_idx', 'project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    # affinity, anti-affinity, soft-affinity or soft-anti-affinity.
    policy = sa.Column(sa.String(255), nullable=False)
    # {'max_server_per_host': n} (anti-affinity, 2.64).
    rules = sa.Column(sa.JSON)


class ServerGroupMember(Base, TimestampMixin):
    """An instance of a server group; goes when the instance is deleted."""
    __tablename__ = 'server_group_members'
    __table_args__ = (
        sa.UniqueConstraint('group_id', 'instance_uuid',
                            name='uniq_server_group_members0group_id0'
                                 'instance_uuid'),
        sa.Index('server_group_members_instance_uuid_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    group_id = sa.Column(sa.Integer, sa.ForeignKey('server_groups.id'),
                         nullable=False)
    instance_uuid = sa.Column(sa.String(36), nullable=False)



class Aggregate(Base, TimestampMixin):
    """A host aggregate: a named group of compute hosts with metadata.

    Its 'availability_zone' metadata makes its hosts an availability zone.
    Deleted for good, as upstream's API database does (the API shows
    deleted False and deleted_at null).
    """
    __tablename__ = 'aggregates'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'),
        sa.UniqueConstraint('name', name='uniq_aggregates0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255), nullable=False)

    hosts = orm.relationship(
        'AggregateHost', cascade='all, delete-orphan', lazy='selectin',
        order_by='AggregateHost.id')
    metadata_items = orm.relationship(
        'AggregateMetadata', cascade='all, delete-orphan', lazy='selectin',
        order_by='AggregateMetadata.id')


class AggregateHost(Base, TimestampMixin):
    """A compute host (its service's host name) in an aggregate."""
    __tablename__ = 'aggregate_hosts'
    __table_args__ = (
        # Host first: the host states' and the zones' lookups by host.
        sa.UniqueConstraint('host', 'aggregate_id',
                            name='uniq_aggregate_hosts0host0aggregate_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    host = sa.Column(sa.String(255), nullable=False)
    aggregate_id = sa.Column(sa.Integer, sa.ForeignKey('aggregates.id'),
                             nullable=False)


class AggregateMetadata(Base, TimestampMixin):
    __tablename__ = 'aggregate_metadata'
    __table_args__ = (
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
        sa.Index('aggregate_metadata_key_idx', 'key'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    aggregate_id = sa.Column(sa.Integer, sa.ForeignKey('aggregates.id'),
                             nullable=False)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255), nullable=False)


class ConsoleAuthToken(Base, TimestampMixin):
    """A console token given out for an instance's console: only its
    SHA-256 is stored, with where the console is and when the token
    expires (upstream's console_auth_tokens)."""
    __tablename__ = 'console_auth_tokens'
    __table_args__ = (
        sa.UniqueConstraint('token_hash',
                            name='uniq_console_auth_tokens0token_hash'),
        sa.Index('console_auth_tokens_instance_uuid_idx', 'instance_uuid'),
        sa.Index('console_auth_tokens_expires_idx', 'expires'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    token_hash = sa.Column(sa.String(255), nullable=False)
    console_type = sa.Column(sa.String(255), nullable=False)
    # The address the proxy connects to ([vnc] server_proxyclient_address
    # of the instance's compute) and the console's port there.
    host = sa.Column(sa.String(255), nullable=False)
    port = sa.Column(sa.Integer, nullable=False)
    internal_access_path = sa.Column(sa.String(255))
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    # Seconds since the epoch (UTC), as upstream.
    expires = sa.Column(sa.Integer, nullable=False)
    access_url_base = sa.Column(sa.String(255))
