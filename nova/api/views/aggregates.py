"""Host aggregate representations, per microversion.

Upstream's: every field of the aggregate, metadata (with its
availability_zone) and hosts included except in create's answer, and
deleted/deleted_at of an aggregate that is not deleted (the API never
shows one that is).
"""

UUID = (2, 41)
IMAGE_CACHE = (2, 81)


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def _view(req, aggregate, members=True):
    metadata = dict(aggregate['metadata'] or {})
    view = {'id': aggregate['id'], 'name': aggregate['name'],
            'availability_zone': metadata.get('availability_zone'),
            'created_at': _time(aggregate['created_at']),
            'updated_at': _time(aggregate['updated_at']),
            'deleted_at': None, 'deleted': False}
    if members:
        view['hosts'] = list(aggregate['hosts'])
        view['metadata'] = metadata
    if req.is_version(UUID):
        view['uuid'] = aggregate['uuid']
    return view


def show(req, aggregate):
    return {'aggregate': _view(req, aggregate)}


def created(req, aggregate):
    """POST's answer: no hosts or metadata, as upstream's."""
    return {'aggregate': _view(req, aggregate, members=False)}


def collection(req, aggregates):
    return {'aggregates': [_view(req, a) for a in aggregates]}
