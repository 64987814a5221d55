"""Migration representations, per microversion."""

MIGRATION_TYPE = (2, 23)
UUID = (2, 59)
OWNER = (2, 80)


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def show(req, migration):
    view = {key: migration[key] for key in (
        'id', 'instance_uuid', 'source_compute', 'dest_compute',
        'source_node', 'dest_node', 'dest_host', 'old_instance_type_id',
        'new_instance_type_id', 'status')}
    view['created_at'] = _time(migration['created_at'])
    view['updated_at'] = _time(migration['updated_at'])
    if req.is_version(MIGRATION_TYPE):
        view['migration_type'] = migration['migration_type']
    if req.is_version(UUID):
        view['uuid'] = migration['uuid']
    if req.is_version(OWNER):
        view['user_id'] = migration['user_id']
        view['project_id'] = migration['project_id']
    return view
