"""Instances, their metadata and faults.

An instance crosses RPC as a dict: every column, plus ``metadata``
({key: value}) and ``fault`` (the latest fault, or None).
"""

import re

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

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
                     action=None):
    """Create instance rows (each {..., 'metadata': {...}}) at once.

    quota_limits ({'instances': n, 'cores': n, 'ram': n}, -1 unlimited:
    the defaults; the project's own limits in the quotas table win) is
    checked against the project's live usage in the same transaction.
    action ({'action', 'request_id', 'user_id', 'project_id'}) starts an
    instance action for each, in the same transaction too.
    """
    with db_session.writer() as session:
        if quota_limits:
            limits = dict(quota_limits)
            limits.update({r.resource: r.hard_limit for r in session.scalars(
                sa.select(models.Quota).where(
                    models.Quota.project_id == project_id,
                    models.Quota.resource.in_(list(limits))))})
            _check_quota(session, project_id, instances, limits)
        rows = []
        for values in instances:
            values = dict(values)
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
        return [_to_dict(row) for row in rows]


def _usage(session, project_id):
    count, cores, ram = session.execute(
        sa.select(sa.func.count(models.Instance.id),
                  sa.func.coalesce(sa.func.sum(models.Instance.vcpus), 0),
                  sa.func.coalesce(sa.func.sum(models.Instance.memory_mb),
                                   0))
        .where(models.Instance.project_id == project_id,
               models.Instance.deleted == 0)).one()
    return {'instances': int(count), 'cores': int(cores), 'ram': int(ram)}


def instance_usage(project_id):
    """{'instances', 'cores', 'ram'} the project uses now."""
    with db_session.reader() as session:
        return _usage(session, project_id)


def _check_quota(session, project_id, instances, limits):
    used = _usage(session, project_id)
    requested = {'instances': len(instances),
                 'cores': sum(i.get('vcpus') or 0 for i in instances),
                 'ram': sum(i.get('memory_mb') or 0 for i in instances)}
    overs = [r for r in ('instances', 'cores', 'ram')
             if limits.get(r, -1) >= 0
             and used[r] + requested[r] > limits[r]]
    if overs:
        resource = overs[0]
        raise exception.OverQuota(overs=resource, req=requested[resource],
                                  used=used[resource],
                                  allowed=limits[resource])


def instance_get(uuid, project_id=None, read_deleted='no'):
    """project_id limits the lookup to that project's instances."""
    with db_session.reader() as session:
        row = _get_row(session, uuid, project_id, read_deleted)
        return _to_dict(row, _latest_faults(session, [uuid]).get(uuid))


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
                     read_deleted='no', regex_filters=None):
    """List instances.

    regex_filters ({'display_name': pattern, 'ip': pattern}, strings) are
    applied in Python after the query, as upstream does, since not every
    database has a regex operator; limit then applies to the filtered rows.
    Rows are read with plain SQL (no ORM objects): lists can be long.
    """
    try:
        regex_filters = {k: re.compile(v) for k, v in
                         (regex_filters or {}).items()}
    except re.error as e:
        raise exception.Invalid(reason='Invalid regular expression: %s' % e)
    for key in sort_keys:
        if key not in SORT_KEYS:
            raise exception.Invalid(reason='Invalid sort_key %s' % key)
    table = models.Instance.__table__
    query = _apply_filters(_query(read_deleted), filters)
    query = query.with_only_columns(*table.columns)
    with db_session.reader() as session:
        marker_row = None
        if marker is not None:
            marker_row = session.scalars(_query('yes').where(
                models.Instance.uuid == marker)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
        query = utils.paginate(query, models.Instance, sort_keys, sort_dirs,
                               None if regex_filters else limit, marker_row)
        rows = [dict(r) for r in session.execute(query).mappings()]
        if regex_filters:
            rows = [r for r in rows if _regex_match(r, regex_filters)]
            if limit is not None:
                rows = rows[:limit]
        metadata = {}
        if rows:
            ids = {r['id']: r for r in rows}
            for instance_id, key, value in session.execute(
                    sa.select(models.InstanceMetadata.instance_id,
                              models.InstanceMetadata.key,
                              models.InstanceMetadata.value).where(
                        models.InstanceMetadata.instance_id.in_(ids))):
                metadata.setdefault(instance_id, {})[key] = value
        faults = _latest_faults(session, [r['uuid'] for r in rows
                                          if r['vm_state'] == 'error'
                                          or r['deleted']])
        for row in rows:
            row['metadata'] = metadata.get(row['id'], {})
            row['fault'] = faults.get(row['uuid'])
        return rows


def _regex_match(row, regex_filters):
    for key, pattern in regex_filters.items():
        if key == 'ip':
            values = [vif.get('address', '')
                      for vif in row['network_info'] or []]
        else:
            values = [row[key] or '']
        if not any(pattern.search(str(v)) for v in values):
            return False
    return True


def instance_update(uuid, values, expected_task_state=None,
                    expected_vm_state=None):
    """Compare-and-swap update.

    expected_task_state / expected_vm_state, when given (a value or a list;
    None inside a list means NULL), must match the row or
    UnexpectedTaskStateError is raised: another request won the race.
    """
    values = dict(values)
    metadata = values.pop('metadata', None)
    with db_session.writer() as session:
        row = _get_row(session, uuid)
        for attr, expected in (('task_state', expected_task_state),
                               ('vm_state', expected_vm_state)):
            if expected is None:
                continue
            allowed = expected if isinstance(expected, (list, tuple)) \
                else [expected]
            actual = getattr(row, attr)
            if actual not in allowed:
                if actual == 'deleting':
                    raise exception.UnexpectedDeletingTaskStateError(
                        instance_uuid=uuid, expected=allowed, actual=actual)
                raise exception.UnexpectedTaskStateError(
                    instance_uuid=uuid, expected=allowed, actual=actual)
        for key, value in values.items():
            setattr(row, key, value)
        if metadata is not None:
            row.metadata_items = [models.InstanceMetadata(key=k, value=v)
                                  for k, v in metadata.items()]
        row.updated_at = utils.utcnow()
        session.flush()
        return _to_dict(row, _latest_faults(session, [uuid]).get(uuid))


def instance_destroy(uuid):
    """Soft-delete: the row stays, marked deleted (as Nova)."""
    now = utils.utcnow()
    with db_session.writer() as session:
        row = _get_row(session, uuid)
        row.deleted = row.id
        row.deleted_at = now
        row.terminated_at = now
        row.vm_state = 'deleted'
        row.task_state = None
        row.updated_at = now
        session.flush()
        return _to_dict(row)


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


def instance_count_by_host(host):
    with db_session.reader() as session:
        return session.scalar(sa.select(sa.func.count()).where(
            models.Instance.host == host, models.Instance.deleted == 0))
