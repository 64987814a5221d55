"""Instances, their metadata and faults.

An instance crosses RPC as a dict: every column, plus ``metadata``
({key: value}) and ``fault`` (the latest fault, or None).
"""

import datetime
import functools
import operator
import re

import orjson
import sqlalchemy as sa

from nova.compute import transitions
from nova.db import actions as db_actions
from nova.db import console_auth_tokens as db_console_auth_tokens
from nova.db import instance_filters
from nova.db import models
from nova.db import moves as db_moves
from nova.db import server_groups as db_server_groups
from nova.db import quotas as db_quotas
from nova.db import services as db_services
from nova.db import session as db_session
from nova.db import utils
from nova import exception
from nova.network import model as network_model

# The hot paths (get, update, destroy: every poll and build step) use Core
# statements on these tables, not ORM objects.
_INSTANCES = models.Instance.__table__
_METADATA = models.InstanceMetadata.__table__
_FAULTS = models.InstanceFault.__table__
_SERVICES = models.Service.__table__
_COLUMNS = frozenset(_INSTANCES.c.keys())
_JSON_COLUMNS = frozenset(c.name for c in _INSTANCES.c
                          if isinstance(c.type, sa.JSON))
_DATE_COLUMNS = frozenset(c.name for c in _INSTANCES.c
                          if isinstance(c.type, sa.DateTime))
# What instance_get_all can give as columns besides the table's: a value
# read out of a JSON column by the database, for a list that shows it and
# not the rest of that column.
_DERIVED = {
    'locked_reason':
        models.Instance.system_metadata['locked_reason'].as_string(),
}

SORT_KEYS = ('created_at', 'updated_at', 'display_name', 'uuid', 'id',
             'vm_state', 'task_state', 'power_state', 'host', 'node',
             'launched_at', 'terminated_at', 'availability_zone',
             'memory_mb', 'vcpus', 'root_gb', 'image_ref', 'key_name',
             'hostname', 'project_id', 'user_id', 'locked', 'progress',
             'launch_index', 'display_description', 'config_drive')


def _fault_dict(row):
    return {'code': row.code, 'message': row.message,
            'details': row.details, 'host': row.host,
            'created_at': row.created_at}


def _to_dict(row, fault=None):
    instance = utils.to_dict(row)
    instance['metadata'] = {m.key: m.value for m in row.metadata_items}
    instance['fault'] = fault
    return instance


def _latest_faults(session, uuids):
    if not uuids:
        return {}
    rows = session.scalars(
        sa.select(models.InstanceFault)
        .where(models.InstanceFault.instance_uuid.in_(uuids))
        .order_by(models.InstanceFault.id.desc()))
    faults = {}
    for row in rows:
        faults.setdefault(row.instance_uuid, _fault_dict(row))
    return faults


def _query(read_deleted='no'):
    query = sa.select(models.Instance)
    if read_deleted == 'no':
        query = query.where(models.Instance.deleted == 0)
    elif read_deleted == 'only':
        query = query.where(models.Instance.deleted != 0)
    return query


def _get_row(session, uuid, project_id=None, read_deleted='no'):
    query = _query(read_deleted).where(models.Instance.uuid == uuid)
    if project_id is not None:
        query = query.where(models.Instance.project_id == project_id)
    row = session.scalars(query).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return row


def instances_create(instances, quota_limits=None, project_id=None,
                     action=None, min_count=None, server_group=None):
    """Create instance rows (each {..., 'metadata': {...}}) at once.

    quota_limits ({'instances': n, 'cores': n, 'ram': n, ...}, -1
    unlimited: the [quota] defaults; the class 'default''s, the project's
    and its user's own limits win, nova.db.quotas) is checked against the
    project's and the user's live usage in the same transaction, and the
    metadata of each against metadata_items when it is given.  With
    min_count, a quota with room for fewer than all the instances but at
    least min_count creates the first ones that fit (a multiple create, as
    upstream); otherwise OverQuota names the first resource short.
    action ({'action', 'request_id', 'user_id', 'project_id'}) starts an
    instance action for each, in the same transaction too.  server_group
    ({'uuid'}): the instances join that group of the project, within the
    server_group_members limit of quota_limits, in the same transaction.

    The caller chooses the uuids: when rows of them exist, this is the
    same request sent again (its first run's answer was lost with the
    conductor that ran it), and those rows are the answer.
    """
    limits = {}
    with db_session.writer() as session:
        made = _created_already(session, instances)
        if made:
            return made
        if quota_limits and instances:
            user_id = instances[0].get('user_id')
            limits, user_limits = db_quotas.limits_of(
                session, quota_limits, project_id, user_id)
            scopes = [(limits, None)]
            if user_limits is not None:
                scopes.append((user_limits, user_id))
            db_quotas.check_metadata(instances, scopes)
            instances = db_quotas.within_quota(
                session, project_id, instances, scopes,
                min_count or len(instances))
        rows = []
        for values in instances:
            values = _with_addresses(values)
            metadata = values.pop('metadata', None) or {}
            row = models.Instance(deleted=0, **values)
            row.metadata_items = [models.InstanceMetadata(key=k, value=v)
                                  for k, v in metadata.items()]
            session.add(row)
            rows.append(row)
            if action:
                now = utils.utcnow()
                session.add(models.InstanceAction(
                    instance_uuid=values['uuid'], start_time=now,
                    created_at=now, updated_at=now, **action))
        session.flush()
        if server_group:
            db_server_groups.add_members_in(
                session.connection(), server_group['uuid'], project_id,
                [row.uuid for row in rows],
                limits.get('server_group_members', -1))
        return [_to_dict(row) for row in rows]


def _created_already(session, instances):
    uuids = [values['uuid'] for values in instances if values.get('uuid')]
    if not uuids:
        return []
    rows = {row.uuid: row for row in session.scalars(
        _query('yes').where(models.Instance.uuid.in_(uuids)))}
    return [_to_dict(rows[uuid]) for uuid in uuids if uuid in rows]


def instance_usage(project_id):
    """{'instances', 'cores', 'ram'} the project uses now."""
    with db_session.reader() as session:
        return db_quotas.usage(session, project_id)


def _deleted_clause(read_deleted):
    if read_deleted == 'no':
        return _INSTANCES.c.deleted == 0
    if read_deleted == 'only':
        return _INSTANCES.c.deleted != 0
    return None


# The statements of the hot reads (every poll, every build step), built
# once with bind parameters: building a statement and its cache key costs
# more than running it on a small table.

@functools.lru_cache(maxsize=None)
def _select_instance_statement(read_deleted, by_project):
    query = sa.select(_INSTANCES).where(
        _INSTANCES.c.uuid == sa.bindparam('uuid'))
    deleted = _deleted_clause(read_deleted)
    if deleted is not None:
        query = query.where(deleted)
    if by_project:
        query = query.where(
            _INSTANCES.c.project_id == sa.bindparam('project_id'))
    return query


_METADATA_OF = (sa.select(_METADATA.c.key, _METADATA.c.value)
                .where(_METADATA.c.instance_id == sa.bindparam('instance_id'))
                .order_by(_METADATA.c.id))
_LATEST_FAULT = (sa.select(_FAULTS.c.code, _FAULTS.c.message,
                           _FAULTS.c.details, _FAULTS.c.host,
                           _FAULTS.c.created_at)
                 .where(_FAULTS.c.instance_uuid == sa.bindparam('uuid'))
                 .order_by(_FAULTS.c.id.desc()).limit(1))
_HOST_SERVICES = (sa.select(_SERVICES)
                  .where(_SERVICES.c.deleted == 0,
                         _SERVICES.c.host == sa.bindparam('host'),
                         _SERVICES.c.binary == sa.bindparam('binary'))
                  .order_by(_SERVICES.c.id))


def _select_instance(conn, uuid, project_id=None, read_deleted='no'):
    """The instance's row as a dict (columns only); InstanceNotFound."""
    params = {'uuid': uuid}
    if project_id is not None:
        params['project_id'] = project_id
    row = conn.execute(_select_instance_statement(
        read_deleted, project_id is not None), params).mappings().first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return dict(row)


def _metadata_of(conn, instance_id):
    return dict(conn.execute(_METADATA_OF,
                             {'instance_id': instance_id}).all())


def _latest_fault(conn, uuid):
    row = conn.execute(_LATEST_FAULT, {'uuid': uuid}).mappings().first()
    return dict(row) if row is not None else None


def _instance_dict(conn, uuid, project_id=None, read_deleted='no',
                   with_fault=True):
    """What crosses RPC: columns, metadata and (with_fault) fault."""
    instance = _select_instance(conn, uuid, project_id, read_deleted)
    instance['metadata'] = _metadata_of(conn, instance['id'])
    instance['fault'] = _latest_fault(conn, uuid) if with_fault else None
    return instance


def instance_get(uuid, project_id=None, read_deleted='no'):
    """project_id limits the lookup to that project's instances."""
    with db_session.read_connection() as conn:
        return _instance_dict(conn, uuid, project_id, read_deleted)


def instance_get_with_host_services(uuid, project_id=None,
                                    read_deleted='no',
                                    binary='nova-compute'):
    """(instance, services): the instance as instance_get returns it, and
    the live services of binary on its host (service_get_all's dicts, by
    id; [] when it has no host), read in one transaction.

    What GET /servers/{id} shows (host_status) in one call.
    """
    with db_session.read_connection() as conn:
        instance = _instance_dict(conn, uuid, project_id, read_deleted)
        services = []
        if instance['host']:
            services = [dict(r) for r in conn.execute(
                _HOST_SERVICES, {'host': instance['host'],
                                 'binary': binary}).mappings()]
        return instance, services


def _apply_filters(query, filters):
    model = models.Instance
    for key, value in (filters or {}).items():
        if key == 'project_id':
            query = query.where(model.project_id == value)
        elif key == 'uuids':
            query = query.where(model.uuid.in_(value))
        elif key == 'changes_since':
            query = query.where(model.updated_at >= value)
        elif key == 'changes_before':
            query = query.where(model.updated_at <= value)
        elif key == 'status_states':
            # {vm_state: ('in'|'not', [task_states])} from states
            clauses = []
            for vm_state, (how, tasks) in value.items():
                clause = model.vm_state == vm_state
                if how == 'in':
                    clause = sa.and_(clause, model.task_state.in_(tasks))
                elif tasks:
                    clause = sa.and_(clause, sa.or_(
                        model.task_state.is_(None),
                        model.task_state.not_in(tasks)))
                clauses.append(clause)
            query = query.where(sa.or_(*clauses) if clauses else sa.false())
        elif key in ('image_ref', 'host', 'node', 'availability_zone',
                     'key_name', 'vm_state', 'task_state', 'user_id',
                     'reservation_id', 'power_state', 'locked',
                     'hostname'):
            column = getattr(model, key)
            if isinstance(value, (list, tuple)):
                query = query.where(column.in_(value))
            else:
                query = query.where(column == value)
        elif key == 'flavorid':
            # The flavor is a JSON copy; filter by its flavorid.
            query = query.where(
                model.flavor['flavorid'].as_string() == str(value))
        elif key == 'deleted':
            query = query.where(model.deleted != 0 if value
                                else model.deleted == 0)
        else:
            raise exception.Invalid(reason='Unknown filter %s' % key)
    return query


def instance_get_all(filters=None, sort_keys=('created_at', 'id'),
                     sort_dirs=('desc', 'desc'), limit=None, marker=None,
                     read_deleted='no', regex_filters=None, columns=None,
                     json_as_text=False, as_table=False):
    """List instances.

    regex_filters ({'display_name': pattern, 'ip': pattern}, strings) are
    applied in Python after the query, as upstream does, since not every
    database has a regex operator; limit then applies to the filtered rows.
    So are the tag filters among filters (instance_filters.TAG_FILTERS:
    lists of tags), on
    the tags JSON column, which databases query each in their own way.
    Rows are read with plain SQL (no ORM objects): lists can be long.

    columns (names; 'metadata' and 'fault' among them for those, and
    'locked_reason', read out of system_metadata) limits each dict to what
    the caller shows; None: every column.  json_as_text
    leaves the JSON columns as the database holds them (JSON text, or
    None), for a caller that passes them on: decoding them only to encode
    them again for RPC is most of the cost of a long list.

    as_table (implies json_as_text) returns ``{'columns': [names], 'rows':
    [[values]]}`` instead of a dict per instance, with the datetimes as ISO
    8601 strings: what crosses RPC best (no key repeated per instance, no
    tagged datetimes).  as_table='json' returns that table as one JSON
    text (orjson, the JSON columns' texts embedded as they are, the
    faults' times as ISO strings): RPC then carries a single string, which
    oslo.messaging encodes and decodes at once instead of value by value.
    nova.conductor.rpcapi turns either back into dicts.
    """
    try:
        regex_filters = {k: re.compile(v) for k, v in
                         (regex_filters or {}).items()}
    except re.error as e:
        raise exception.Invalid(reason='Invalid regular expression: %s' % e)
    filters = dict(filters or {})
    tag_filters = {k: set(filters.pop(k))
                   for k in instance_filters.TAG_FILTERS
                   if k in filters}
    in_python = bool(regex_filters or tag_filters)
    for key in sort_keys:
        if key not in SORT_KEYS:
            raise exception.Invalid(reason='Invalid sort_key %s' % key)
    json_as_text = json_as_text or as_table
    wanted = None if columns is None else set(columns)
    if wanted is None:
        selected = list(_INSTANCES.c.keys())
    else:
        # What the filters and the metadata/fault lookups need, too.
        needed = set(wanted) | {'id', 'uuid', 'vm_state', 'deleted'}
        if 'ip' in regex_filters:
            needed.add('addresses')
        needed |= {k for k in regex_filters if k in _COLUMNS}
        if tag_filters:
            needed.add('tags')
        selected = [c for c in _INSTANCES.c.keys() if c in needed]
    text_columns = set()
    if json_as_text:
        text_columns = {c for c in selected if c in _JSON_COLUMNS}
    if wanted is not None:
        selected += sorted(wanted & set(_DERIVED))
    query = _apply_filters(_query(read_deleted), filters)
    query = query.with_only_columns(*[
        _DERIVED[c].label(c) if c in _DERIVED else
        sa.cast(_INSTANCES.c[c], sa.Text).label(c) if c in text_columns
        else _INSTANCES.c[c] for c in selected])
    index = {c: i for i, c in enumerate(selected)}
    with db_session.read_connection() as conn:
        marker_row = None
        if marker is not None:
            marker_row = conn.execute(sa.select(_INSTANCES).where(
                _INSTANCES.c.uuid == marker)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
        query = utils.paginate(query, models.Instance, sort_keys, sort_dirs,
                               None if in_python else limit, marker_row)
        # Tuples in the order of selected: no mapping object per row.
        rows = conn.execute(query).all()
        if regex_filters:
            rows = [r for r in rows
                    if instance_filters.regex_match(r, index,
                                                    regex_filters)]
        if tag_filters:
            rows = [r for r in rows
                    if instance_filters.tags_match(r[index['tags']],
                                                   tag_filters)]
        if in_python and limit is not None:
            rows = rows[:limit]
        # (name, {key: value}, index of the key in a row, what is missing)
        joined = []
        if wanted is None or 'metadata' in wanted:
            joined.append(('metadata', _metadata_by_instance(
                conn, [r[index['id']] for r in rows]), index['id'], dict))
        if wanted is None or 'fault' in wanted:
            uuid_at, vm_state_at = index['uuid'], index['vm_state']
            deleted_at = index['deleted']
            joined.append(('fault', _latest_faults_of(conn, [
                r[uuid_at] for r in rows
                if r[vm_state_at] == 'error' or r[deleted_at]]),
                uuid_at, type(None)))
    keep = [i for i, c in enumerate(selected)
            if wanted is None or c in wanted]
    names = [selected[i] for i in keep] + [j[0] for j in joined]
    dates = [n for n, i in enumerate(keep)
             if as_table and selected[i] in _DATE_COLUMNS]
    # itemgetter picks the kept values in C (of a tuple when more than one)
    pick = operator.itemgetter(*keep) if len(keep) > 1 else (
        lambda row: (row[keep[0]],) if keep else ())
    # as_table='json': the JSON texts go in as they are (orjson.Fragment).
    fragments = [n for n, i in enumerate(keep)
                 if as_table == 'json' and selected[i] in text_columns]
    table = _table(rows, pick, dates, fragments, joined)
    if not as_table:
        return [dict(zip(names, values)) for values in table]
    if as_table == 'json':
        try:
            return orjson.dumps({'columns': names, 'rows': table},
                                default=_isoformat,
                                option=orjson.OPT_PASSTHROUGH_DATETIME
                                ).decode()
        except orjson.JSONEncodeError:
            # A value orjson refuses (a lone surrogate a client sent): the
            # plain table, which RPC's JSON carries (the texts as str).
            table = _table(rows, pick, dates, (), joined)
    return {'columns': names, 'rows': table}


def _table(rows, pick, dates, fragments, joined):
    """The rows as lists of the kept values: dates (indexes) as ISO
    strings, fragments (indexes of JSON texts) as orjson.Fragment, the
    joined values (metadata, fault) appended."""
    table = []
    fragment = orjson.Fragment
    for row in rows:
        values = list(pick(row))
        for n in dates:
            if values[n] is not None:
                values[n] = values[n].isoformat()
        for n in fragments:
            if values[n] is not None:
                values[n] = fragment(values[n])
        values += [by_key.get(row[at]) or missing()
                   for _name, by_key, at, missing in joined]
        table.append(values)
    return table


def _isoformat(value):
    # orjson's own datetimes would be RFC 3339 with a 'Z' or offset.
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def instance_get_all_with_services(binary='nova-compute', **kwargs):
    """(instance_get_all(**kwargs), the live services of binary): what
    GET /servers/detail shows (host_status) in one call."""
    return (instance_get_all(**kwargs),
            db_services.service_get_all(binary=binary))


def _metadata_by_instance(conn, instance_ids):
    """{instance id: {key: value}} of those that have metadata."""
    metadata = {}
    if instance_ids:
        for instance_id, key, value in conn.execute(
                sa.select(_METADATA.c.instance_id, _METADATA.c.key,
                          _METADATA.c.value).where(
                    _METADATA.c.instance_id.in_(instance_ids))
                .order_by(_METADATA.c.id)):
            metadata.setdefault(instance_id, {})[key] = value
    return metadata


def _latest_faults_of(conn, uuids):
    """{uuid: its latest fault} (Core)."""
    faults = {}
    if not uuids:
        return faults
    for row in conn.execute(
            sa.select(_FAULTS.c.instance_uuid, _FAULTS.c.code,
                      _FAULTS.c.message, _FAULTS.c.details, _FAULTS.c.host,
                      _FAULTS.c.created_at)
            .where(_FAULTS.c.instance_uuid.in_(uuids))
            .order_by(_FAULTS.c.id.desc())).mappings():
        if row['instance_uuid'] not in faults:
            fault = dict(row)
            del fault['instance_uuid']
            faults[row['instance_uuid']] = fault
    return faults


def _allowed(expected):
    return list(expected) if isinstance(expected, (list, tuple)) \
        else [expected]


@functools.lru_cache(maxsize=None)
def _update_statement(task_shape, vm_shape):
    """The compare-and-swap UPDATE for expectations of these shapes: None
    (no check), or (any values, None among them).  The SET clause comes
    from the execution's parameters; the others are named w_*."""
    where = [_INSTANCES.c.uuid == sa.bindparam('w_uuid'),
             _INSTANCES.c.deleted == 0]
    for attr, shape in (('task_state', task_shape), ('vm_state', vm_shape)):
        if shape is None:
            continue
        column = _INSTANCES.c[attr]
        some, null = shape
        clauses = []
        if some:
            clauses.append(column.in_(sa.bindparam('w_' + attr,
                                                   expanding=True)))
        if null:
            clauses.append(column.is_(None))
        where.append(sa.or_(*clauses) if clauses else sa.false())
    return sa.update(_INSTANCES).where(*where)


# The row a read-then-write change starts from, locked until its
# transaction ends.
_SELECT_FOR_CHANGE = sa.select(_INSTANCES).where(
    _INSTANCES.c.uuid == sa.bindparam('uuid'),
    _INSTANCES.c.deleted == 0).with_for_update()


def instance_for_change(conn, uuid, operation=None, method=None,
                        lock_override=False):
    """The instance's columns (a dict), its row locked until conn's
    transaction ends, for a change that reads what it then writes (the
    metadata, the tags): no other writer changes the instance in between,
    so no update is lost.  SELECT ... FOR UPDATE where the database has it;
    SQLite's writers take turns (session.write_connection) anyway.

    With operation, transitions.check(operation, ...) passes on the locked
    row or its error (409, naming method) is raised; lock_override: a
    locked instance is no obstacle (the API's admin).
    """
    row = conn.execute(_SELECT_FOR_CHANGE, {'uuid': uuid}).mappings().first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    instance = dict(row)
    if operation is not None:
        transitions.check(operation, instance, lock_override, method)
    return instance


_INSTANCE_ID = sa.select(_INSTANCES.c.id).where(
    _INSTANCES.c.uuid == sa.bindparam('uuid'), _INSTANCES.c.deleted == 0)


def _with_addresses(values):
    """A copy of values with addresses written beside network_info."""
    values = dict(values)
    if 'network_info' in values:
        values['addresses'] = network_model.addresses(values['network_info'])
    return values


def _update(conn, uuid, values, expected_task_state=None,
            expected_vm_state=None):
    """The compare-and-swap UPDATE; returns the instance's id.

    One conditional statement, so two writers cannot both pass the check.
    When it matches nothing, a read tells why: gone, or another request
    won the race.
    """
    values = _with_addresses(values)
    metadata = values.pop('metadata', None)
    # Keys that are not columns are ignored, as setting them on the ORM
    # object (what this did before) ignored them.
    params = {k: v for k, v in values.items() if k in _COLUMNS}
    params['updated_at'] = utils.utcnow()
    params['w_uuid'] = uuid
    checks = []
    shapes = []
    for attr, expected in (('task_state', expected_task_state),
                           ('vm_state', expected_vm_state)):
        if expected is None:
            shapes.append(None)
            continue
        allowed = _allowed(expected)
        some = [v for v in allowed if v is not None]
        shapes.append((bool(some), len(some) != len(allowed)))
        if some:
            params['w_' + attr] = some
        checks.append((attr, allowed))
    result = conn.execute(_update_statement(*shapes), params)
    if result.rowcount == 0:
        row = _select_instance(conn, uuid)
        for attr, allowed in checks:
            actual = row[attr]
            if actual not in allowed:
                if actual == 'deleting':
                    raise exception.UnexpectedDeletingTaskStateError(
                        instance_uuid=uuid, expected=allowed, actual=actual)
                raise exception.UnexpectedTaskStateError(
                    instance_uuid=uuid, expected=allowed, actual=actual)
        # Changed between the UPDATE and the read: the race was lost.
        attr, allowed = checks[0]
        raise exception.UnexpectedTaskStateError(
            instance_uuid=uuid, expected=allowed, actual=row[attr])
    instance_id = conn.execute(_INSTANCE_ID, {'uuid': uuid}).scalar()
    if 'host' in params:
        # A console given out on the host the instance leaves (or before
        # a rebuild elsewhere) must not reach what takes its port there.
        db_console_auth_tokens.destroy_all_by_instance_in(conn, uuid)
    if metadata is not None:
        conn.execute(sa.delete(_METADATA).where(
            _METADATA.c.instance_id == instance_id))
        if metadata:
            now = utils.utcnow()
            conn.execute(sa.insert(_METADATA), [
                {'instance_id': instance_id, 'key': k, 'value': v,
                 'created_at': now} for k, v in metadata.items()])
    return instance_id


def instance_update(uuid, values, expected_task_state=None,
                    expected_vm_state=None):
    """Compare-and-swap update.

    expected_task_state / expected_vm_state, when given (a value or a list;
    None inside a list means NULL), must match the row or
    UnexpectedTaskStateError is raised: another request won the race.
    """
    with db_session.write_connection() as conn:
        _update(conn, uuid, values, expected_task_state, expected_vm_state)
        return _instance_dict(conn, uuid)


def instance_update_within_quota(uuid, values, defaults, deltas,
                                 expected_task_state=None):
    """instance_update of a flavor change's accept (a resize's, a
    revert's: the task_state PENDING_FLAVOR names, the flavor in
    system_metadata) and the quota check of its upsize deltas ({'cores',
    'ram'} it adds, nova.quota.upsize_deltas) in one transaction:
    OverQuota (403) leaves the instance as it was.  The upsize counts as
    used from then on, so two changes never both pass on one headroom."""
    with db_session.write_connection() as conn:
        _update(conn, uuid, values, expected_task_state, None)
        instance = _instance_dict(conn, uuid)
        if deltas:
            db_quotas.check_upsize(conn, defaults, instance['project_id'],
                                   instance['user_id'], deltas)
        return instance


def instance_update_and_event(uuid, values, expected_task_state=None,
                              expected_vm_state=None, event_start=None,
                              event_finish=None):
    """instance_update and an instance-action event, in one transaction.

    event_start ({'request_id', 'event', 'host'}) is recorded first and
    kept even when the update is refused (the step began, then found the
    instance gone or taken): that error is raised once it is committed.
    event_finish ({'request_id', 'event', 'result'[, 'traceback',
    'details']}) is recorded only after a successful update; when that
    fails (no action), the update stays and the error is raised.
    """
    refused = unrecorded = None
    with db_session.write_connection() as conn:
        if event_start:
            db_actions.event_start_in(conn, uuid, **event_start)
        try:
            _update(conn, uuid, values, expected_task_state,
                    expected_vm_state)
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError) as e:
            if not event_start:
                raise
            refused = e
        else:
            instance = _instance_dict(conn, uuid)
            if event_finish:
                try:
                    db_actions.event_finish_in(conn, uuid, **event_finish)
                except exception.InstanceActionNotFound as e:
                    unrecorded = e
    if refused is not None:
        raise refused
    if unrecorded is not None:
        raise unrecorded
    return instance


def instance_update_steps(uuid, event_start, steps):
    """Steps of one task with nothing done between them, in one
    transaction: event_start ({'request_id', 'event', 'host'}) recorded,
    then each step, (values, expected_task_state), a compare-and-swap
    update in turn.  values may be a function of the connection that
    returns them, and may write in it first (the networking step's
    address).

    As in instance_update_and_event, the event is kept when the first
    update is refused; a step that fails with a domain error (refused, no
    address left) leaves the instance as the steps before it left it,
    committed, and its error is raised.  Returns the instance as the last
    step left it.
    """
    failure = instance = None
    with db_session.write_connection() as conn:
        db_actions.event_start_in(conn, uuid, **event_start)
        for values, expected_task_state in steps:
            try:
                if callable(values):
                    values = values(conn)
                _update(conn, uuid, values, expected_task_state)
            except exception.NovaException as e:
                failure = e
                break
        else:
            instance = _instance_dict(conn, uuid)
    if failure is not None:
        raise failure
    return instance


def instance_destroy(uuid):
    """Soft-delete: the row stays, marked deleted (as Nova).

    Whatever the instance and its moves hold on any host is freed with it,
    and a move under way ends in error: nothing a step in flight does
    afterwards can keep a deleted server's resources counted.
    """
    now = utils.utcnow()
    with db_session.write_connection() as conn:
        instance_id = _select_instance(conn, uuid)['id']
        conn.execute(sa.update(_INSTANCES).where(
            _INSTANCES.c.id == instance_id).values(
            deleted=instance_id, deleted_at=now, terminated_at=now,
            vm_state='deleted', task_state=None, updated_at=now))
        db_server_groups.remove_member_in(conn, uuid)
        db_moves.release_moves_in(conn, uuid)
        db_console_auth_tokens.destroy_all_by_instance_in(conn, uuid)
        return _instance_dict(conn, uuid, read_deleted='yes',
                              with_fault=False)


def instance_fault_create(instance_uuid, code, message, details=None,
                          host=None):
    with db_session.writer() as session:
        row = models.InstanceFault(instance_uuid=instance_uuid, code=code,
                                   message=(message or '')[:255],
                                   details=details, host=host)
        session.add(row)
        session.flush()
        return _fault_dict(row)


def instance_get_all_by_host(host):
    with db_session.reader() as session:
        rows = session.scalars(_query().where(models.Instance.host == host))
        return [_to_dict(r) for r in rows]
