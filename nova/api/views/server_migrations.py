"""A server's live migration (/servers/{id}/migrations), per
microversion: upstream's server_migrations output."""

from nova.api.views import migrations as migration_views

UUID = migration_views.UUID
OWNER = migration_views.OWNER


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


HOST_FIELDS = ('source_compute', 'source_node', 'dest_compute', 'dest_node',
               'dest_host')


def show(req, migration, with_host=True):
    view = {
        'id': migration['id'],
        'server_uuid': migration['instance_uuid'],
        'status': migration['status'],
        'created_at': _time(migration['created_at']),
        'updated_at': _time(migration['updated_at']),
    }
    for kind in ('memory', 'disk'):
        for figure in ('total', 'processed', 'remaining'):
            # Null until known, and for none (upstream's schema: >= 1).
            view['%s_%s_bytes' % (kind, figure)] = migration.get(
                '%s_%s' % (kind, figure)) or None
    for key in HOST_FIELDS:
        # Null where the :host rule does not allow them, as upstream.
        view[key] = migration[key] if with_host else None
    if req.is_version(UUID):
        view['uuid'] = migration['uuid']
    if req.is_version(OWNER):
        view['user_id'] = migration['user_id']
        view['project_id'] = migration['project_id']
    return view
