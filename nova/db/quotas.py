"""Quota limits (quotas, quota_classes) and the usage they are held to.

A limit is resolved as upstream's DbQuotaDriver resolves it: the user's own
(a quotas row with its user_id), else the project's own (user_id ''), else
the quota class 'default''s, else the default the caller sends (the API's
[quota] options: ``defaults``, {resource: limit}).  -1 is no limit.

Usage is counted live, as in current Nova: instances, cores and ram from
the instances table, for a project or one of its users.  A resize (or its
revert) whose flavor change is accepted but not yet made counts the cores
and ram it adds from its accept on: the check that accepted it, and any
create or resize after it, see them.  The others count
as 0 (upstream leaves key_pairs and server_group_members out of the quota
views and their checks; nothing here holds server groups).
"""

import collections

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

_QUOTAS = models.Quota.__table__
_CLASSES = models.QuotaClass.__table__
_INSTANCES = models.Instance.__table__
_GROUPS = models.ServerGroup.__table__

DEFAULT_CLASS = 'default'
# quotas.user_id of a project's own limits.
PROJECT = ''
# The resources whose usage is counted (from the instances table).
COUNTED = ('instances', 'cores', 'ram')
# task_state -> the system_metadata key of the flavor an instance is
# changing to while its columns still hold the old one: a resize from its
# accept until finish_resize, a revert until finish_revert_resize.
PENDING_FLAVOR = {'resize_prep': 'new_flavor',
                  'resize_migrating': 'new_flavor',
                  'resize_migrated': 'new_flavor',
                  'resize_finish': 'new_flavor',
                  'resize_reverting': 'old_flavor'}


def _class_limits(conn, class_name):
    return dict(conn.execute(
        sa.select(_CLASSES.c.resource, _CLASSES.c.hard_limit)
        .where(_CLASSES.c.class_name == class_name)).all())


def _own_limits(conn, project_id, user_id=None):
    """({resource: limit} of the project's own rows, of user_id's)."""
    users = [PROJECT] if not user_id else [PROJECT, user_id]
    project, user = {}, {}
    for row_user, resource, limit in conn.execute(
            sa.select(_QUOTAS.c.user_id, _QUOTAS.c.resource,
                      _QUOTAS.c.hard_limit)
            .where(_QUOTAS.c.project_id == project_id,
                   _QUOTAS.c.user_id.in_(users))):
        (user if row_user else project)[resource] = limit
    return project, user


def _layered(defaults, *layers):
    limits = dict(defaults)
    for layer in layers:
        limits.update((r, v) for r, v in layer.items() if r in limits)
    return limits


def limits_of(conn, defaults, project_id, user_id=None):
    """(the project's limits, its user's or None when the user has no
    limit of its own: the project's are the user's then), each
    {resource: limit} for the resources of defaults.  conn: a connection
    or session."""
    class_limits = _class_limits(conn, DEFAULT_CLASS)
    project, user = _own_limits(conn, project_id, user_id)
    project_limits = _layered(defaults, class_limits, project)
    user_limits = None
    if any(r in project_limits for r in user):
        user_limits = _layered(project_limits, user)
    return project_limits, user_limits


def resolve(conn, defaults, project_id, user_id=None):
    """{resource: limit}: the project's, or its user user_id's."""
    project_limits, user_limits = limits_of(conn, defaults, project_id,
                                            user_id)
    return user_limits or project_limits


def usage(conn, project_id, user_id=None):
    """{'instances', 'cores', 'ram', 'server_groups'} the project (its
    user) uses now."""
    query = (sa.select(sa.func.count(_INSTANCES.c.id),
                       sa.func.coalesce(sa.func.sum(_INSTANCES.c.vcpus), 0),
                       sa.func.coalesce(
                           sa.func.sum(_INSTANCES.c.memory_mb), 0))
             .where(_INSTANCES.c.project_id == project_id,
                    _INSTANCES.c.deleted == 0))
    if user_id:
        query = query.where(_INSTANCES.c.user_id == user_id)
    count, cores, ram = conn.execute(query).one()
    pending = _pending_upsize(conn, project_id, user_id)
    cores += pending['cores']
    ram += pending['ram']
    groups = sa.select(sa.func.count()).where(
        _GROUPS.c.project_id == project_id)
    if user_id:
        groups = groups.where(_GROUPS.c.user_id == user_id)
    return {'instances': int(count), 'cores': int(cores), 'ram': int(ram),
            'server_groups': int(conn.execute(groups).scalar())}


def _pending_upsize(conn, project_id, user_id=None):
    """{'cores', 'ram'} that accepted flavor changes add, not yet in the
    instances' columns (PENDING_FLAVOR)."""
    query = (sa.select(_INSTANCES.c.task_state, _INSTANCES.c.vcpus,
                       _INSTANCES.c.memory_mb, _INSTANCES.c.system_metadata)
             .where(_INSTANCES.c.project_id == project_id,
                    _INSTANCES.c.deleted == 0,
                    _INSTANCES.c.task_state.in_(list(PENDING_FLAVOR))))
    if user_id:
        query = query.where(_INSTANCES.c.user_id == user_id)
    pending = {'cores': 0, 'ram': 0}
    for task_state, vcpus, memory_mb, system_metadata in conn.execute(query):
        flavor = (system_metadata or {}).get(PENDING_FLAVOR[task_state])
        if flavor:
            pending['cores'] += max(0, flavor['vcpus'] - (vcpus or 0))
            pending['ram'] += max(0, flavor['memory_mb'] - (memory_mb or 0))
    return pending


def check_upsize(conn, defaults, project_id, user_id, deltas):
    """OverQuota unless the project's (and its user's) usage, which
    counts the upsize deltas already, is within its limits: as upstream's
    resize, it names every resource short with its delta, what was used
    before it and the limit."""
    project_limits, user_limits = limits_of(conn, defaults, project_id,
                                            user_id)
    scopes = [(project_limits, None)]
    if user_limits is not None:
        scopes.append((user_limits, user_id))
    for limits, scope_user in scopes:
        used = usage(conn, project_id, scope_user)
        overs = [resource for resource in ('cores', 'ram')
                 if deltas.get(resource, 0) > 0 and
                 limits.get(resource, -1) >= 0 and
                 used[resource] > limits[resource]]
        if overs:
            raise exception.OverQuota(
                overs=', '.join(overs),
                req=', '.join(str(deltas[r]) for r in overs),
                used=', '.join(str(used[r] - deltas[r]) for r in overs),
                allowed=', '.join(str(limits[r]) for r in overs))


def quota_get(project_id, defaults, user_id=None, usages=False):
    """The limits of the project (of its user user_id): {resource: limit},
    or with usages {resource: {'limit', 'in_use'}}."""
    with db_session.read_connection() as conn:
        limits = resolve(conn, defaults, project_id, user_id)
        if not usages:
            return limits
        used = usage(conn, project_id, user_id)
    return {r: {'limit': limit, 'in_use': used.get(r, 0)}
            for r, limit in limits.items()}


def quota_get_all(project_id):
    """The limits that differ from the [quota] options for the project:
    the class 'default''s, then the project's own.  (What 1.1-1.12 API
    nodes merge over their options; newer ones call quota_get.)"""
    with db_session.read_connection() as conn:
        limits = _class_limits(conn, DEFAULT_CLASS)
        limits.update(_own_limits(conn, project_id)[0])
        return limits


def _check_resources(values, defaults):
    unknown = sorted(set(values) - set(defaults))
    if unknown:
        raise exception.QuotaResourceUnknown(unknown=', '.join(unknown))


def _unbounded(value):
    return float('inf') if value < 0 else value


def _settable(conn, defaults, project_id, user_id, resources):
    """{resource: (minimum, maximum)} a new limit may take, as upstream's
    get_settable_quotas: a project's, at least what it uses and what its
    users' own limits hand out together; a user's, at least what the user
    uses and at most what the project's limit leaves beside the other
    users' own limits."""
    project_limits, _ = limits_of(conn, defaults, project_id)
    given = collections.defaultdict(dict)
    for row_user, resource, limit in conn.execute(
            sa.select(_QUOTAS.c.user_id, _QUOTAS.c.resource,
                      _QUOTAS.c.hard_limit)
            .where(_QUOTAS.c.project_id == project_id,
                   _QUOTAS.c.user_id != PROJECT)):
        given[resource][row_user] = limit
    used = usage(conn, project_id, user_id)
    ranges = {}
    for resource in resources:
        in_use = used.get(resource, 0)
        if not user_id:
            handed_out = sum(v for v in given[resource].values() if v >= 0)
            ranges[resource] = (max(in_use, handed_out), -1)
            continue
        limit = project_limits[resource]
        others = sum(v for u, v in given[resource].items()
                     if u != user_id and v >= 0)
        ranges[resource] = (in_use, -1 if limit < 0 else
                            max(0, limit - others))
    return ranges


def _upsert(conn, table, key, values):
    """Set hard_limit of each resource of values in the rows of key
    ({column: value}), adding the rows missing."""
    where = [table.c[column] == value for column, value in key.items()]
    existing = set(conn.execute(
        sa.select(table.c.resource)
        .where(*where, table.c.resource.in_(list(values)))).scalars())
    now = utils.utcnow()
    for resource, limit in values.items():
        if resource in existing:
            conn.execute(sa.update(table)
                         .where(*where, table.c.resource == resource)
                         .values(hard_limit=limit, updated_at=now))
        else:
            conn.execute(sa.insert(table).values(
                resource=resource, hard_limit=limit, created_at=now,
                **key))


def _write(change):
    """change(conn) in a write transaction; run again once if another
    writer added one of its rows in between (the unique constraint)."""
    for attempt in (1, 2):
        try:
            with db_session.write_connection() as conn:
                return change(conn)
        except sa_exc.IntegrityError:
            if attempt == 2:
                raise


def quota_update(project_id, values, defaults, user_id=None, force=False):
    """Set the project's own limits (its user user_id's) to values
    ({resource: limit}); returns its limits then.

    Unless force, each new limit is checked first against what may be
    set (QuotaLimitTooLow, QuotaLimitTooHigh: 400), all of them before any
    is written, in the transaction that writes them.
    """
    _check_resources(values, defaults)

    def change(conn):
        if not force:
            ranges = _settable(conn, defaults, project_id, user_id, values)
            for resource, limit in values.items():
                minimum, maximum = ranges[resource]
                if _unbounded(limit) < _unbounded(minimum):
                    raise exception.QuotaLimitTooLow(
                        limit=limit, resource=resource, minimum=minimum)
                if _unbounded(limit) > _unbounded(maximum):
                    raise exception.QuotaLimitTooHigh(
                        limit=limit, resource=resource, maximum=maximum)
        if values:
            _upsert(conn, _QUOTAS, {'project_id': project_id,
                                    'user_id': user_id or PROJECT}, values)
        return resolve(conn, defaults, project_id, user_id)
    return _write(change)


def quota_destroy_all(project_id, user_id=None):
    """Back to the defaults: the project's own limits and its users' go
    (with user_id, that user's alone)."""
    with db_session.write_connection() as conn:
        query = sa.delete(_QUOTAS).where(_QUOTAS.c.project_id == project_id)
        if user_id:
            query = query.where(_QUOTAS.c.user_id == user_id)
        conn.execute(query)


def quota_class_get(class_name, defaults):
    """{resource: limit} of the class: its own, else defaults'."""
    with db_session.read_connection() as conn:
        return _layered(defaults, _class_limits(conn, class_name))


def quota_class_update(class_name, values, defaults):
    """Set the class's limits to values; returns them all then.  The class
    'default''s are every project's defaults."""
    _check_resources(values, defaults)

    def change(conn):
        if values:
            _upsert(conn, _CLASSES, {'class_name': class_name}, values)
        return _layered(defaults, _class_limits(conn, class_name))
    return _write(change)


def check_metadata(instances, scopes):
    """MetadataLimitExceeded unless each instance's metadata is within
    metadata_items of every scope."""
    most = max(len(i.get('metadata') or ()) for i in instances)
    for limits, _ in scopes:
        allowed = limits.get('metadata_items')
        if allowed is not None and 0 <= allowed < most:
            raise exception.MetadataLimitExceeded(allowed=allowed)


def within_quota(session, project_id, instances, scopes, min_count):
    """The most of instances (the first ones, at least min_count) that
    the limits of each scope ((limits, None): the project's; (limits,
    user_id): the user's) leave room for."""
    used = [usage(session, project_id, user_id)
            for _, user_id in scopes]
    requested = {'instances': 0, 'cores': 0, 'ram': 0}
    fitting = 0
    over = None
    for index, instance in enumerate(instances):
        requested['instances'] += 1
        requested['cores'] += instance.get('vcpus') or 0
        requested['ram'] += instance.get('memory_mb') or 0
        over = next(((resource, limits, counted)
                     for (limits, _), counted in zip(scopes, used)
                     for resource in COUNTED
                     if limits.get(resource, -1) >= 0 and
                     counted[resource] + requested[resource] >
                     limits[resource]), None)
        if over:
            break
        fitting = index + 1
    if fitting >= min_count:
        return instances[:fitting]
    resource, limits, counted = over
    wanted = instances[:min_count]
    wanted = {'instances': len(wanted),
              'cores': sum(i.get('vcpus') or 0 for i in wanted),
              'ram': sum(i.get('memory_mb') or 0 for i in wanted)}
    raise exception.OverQuota(overs=resource, req=wanted[resource],
                              used=counted[resource],
                              allowed=limits[resource])
