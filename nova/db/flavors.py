"""Flavors, their extra specs and project access."""

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

# The flavors devstack has always created; ids 1-5.
DEFAULT_FLAVORS = (
    {'flavorid': '1', 'name': 'm1.tiny', 'memory_mb': 512, 'vcpus': 1,
     'root_gb': 1},
    {'flavorid': '2', 'name': 'm1.small', 'memory_mb': 2048, 'vcpus': 1,
     'root_gb': 20},
    {'flavorid': '3', 'name': 'm1.medium', 'memory_mb': 4096, 'vcpus': 2,
     'root_gb': 40},
    {'flavorid': '4', 'name': 'm1.large', 'memory_mb': 8192, 'vcpus': 4,
     'root_gb': 80},
    {'flavorid': '5', 'name': 'm1.xlarge', 'memory_mb': 16384, 'vcpus': 8,
     'root_gb': 160},
)

SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb',
             'flavorid', 'id', 'is_public', 'memory_mb', 'name',
             'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight',
             'vcpus')


def _to_dict(row):
    flavor = utils.to_dict(row)
    flavor['extra_specs'] = {s.key: s.value for s in row.extra_specs}
    flavor['projects'] = sorted(p.project_id for p in row.projects)
    return flavor


def _access_filter(project_id):
    """Public flavors plus private ones shared with project_id."""
    shared = sa.select(models.FlavorProject.flavor_id).where(
        models.FlavorProject.project_id == project_id)
    return sa.or_(models.Flavor.is_public.is_(True),
                  models.Flavor.id.in_(shared))


def _get_row(session, flavorid, project_id=None, for_update=False):
    query = sa.select(models.Flavor).where(models.Flavor.flavorid == flavorid)
    if project_id is not None:
        query = query.where(_access_filter(project_id))
    if for_update:
        # Changes to one flavor's extra specs or projects take their turns
        # (SQLite: the writer lock does it).
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return row


def flavor_get(flavorid, project_id=None):
    """project_id limits the lookup to what that project may see."""
    with db_session.reader() as session:
        return _to_dict(_get_row(session, flavorid, project_id))


def flavor_get_all(is_public=True, project_id=None, min_memory_mb=None,
                   min_root_gb=None, disabled=None, sort_key='flavorid',
                   sort_dir='asc', limit=None, marker=None):
    """List flavors.

    is_public: True (public ones, plus private ones shared with project_id
    when given), False (private ones only), None (all).
    """
    utils.check_sort(models.Flavor, sort_key, sort_dir, SORT_KEYS)
    query = sa.select(models.Flavor)
    if is_public is True:
        if project_id is not None:
            query = query.where(_access_filter(project_id))
        else:
            query = query.where(models.Flavor.is_public.is_(True))
    elif is_public is False:
        query = query.where(models.Flavor.is_public.is_(False))
        if project_id is not None:
            query = query.where(_access_filter(project_id))
    elif project_id is not None:
        query = query.where(_access_filter(project_id))
    if min_memory_mb is not None:
        query = query.where(models.Flavor.memory_mb >= min_memory_mb)
    if min_root_gb is not None:
        query = query.where(models.Flavor.root_gb >= min_root_gb)
    if disabled is not None:
        query = query.where(models.Flavor.disabled.is_(disabled))
    with db_session.reader() as session:
        marker_row = None
        if marker is not None:
            marker_row = session.scalars(sa.select(models.Flavor).where(
                models.Flavor.flavorid == marker)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
        query = utils.paginate(query, models.Flavor, [sort_key], [sort_dir],
                               limit, marker_row)
        return [_to_dict(row) for row in session.scalars(query)]


def flavor_create(values, projects=()):
    with db_session.reader() as session:
        if session.scalars(sa.select(models.Flavor.id).where(
                models.Flavor.flavorid == values['flavorid'])).first():
            raise exception.FlavorIdExists(flavor_id=values['flavorid'])
        if session.scalars(sa.select(models.Flavor.id).where(
                models.Flavor.name == values['name'])).first():
            raise exception.FlavorExists(name=values['name'])
    try:
        with db_session.writer() as session:
            row = models.Flavor(**values)
            row.projects = [models.FlavorProject(project_id=p)
                            for p in projects]
            session.add(row)
            session.flush()
            return _to_dict(row)
    except sa_exc.IntegrityError:
        # Lost a race with a concurrent create of the same flavor.
        raise exception.FlavorExists(name=values['name'])


def flavor_update(flavorid, values):
    with db_session.writer() as session:
        row = _get_row(session, flavorid)
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return _to_dict(row)


def flavor_destroy(flavorid):
    with db_session.writer() as session:
        session.delete(_get_row(session, flavorid))


def flavor_extra_specs_update(flavorid, specs):
    """Merge specs ({key: value}) into the flavor's extra specs; returns
    them all."""
    with db_session.writer() as session:
        row = _get_row(session, flavorid, for_update=True)
        current = {spec.key: spec for spec in row.extra_specs}
        for key, value in specs.items():
            if key in current:
                current[key].value = value
            else:
                row.extra_specs.append(
                    models.FlavorExtraSpec(key=key, value=value))
        session.flush()
        return {spec.key: spec.value for spec in row.extra_specs}


def flavor_extra_spec_delete(flavorid, key):
    """FlavorExtraSpecsNotFound (404) when the flavor has no such key."""
    with db_session.writer() as session:
        row = _get_row(session, flavorid, for_update=True)
        for spec in row.extra_specs:
            if spec.key == key:
                row.extra_specs.remove(spec)
                return
        raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid,
                                                 extra_specs_key=key)


def flavor_access_add(flavorid, project_id):
    """Give project_id access to the flavor; returns the flavor.
    FlavorAccessExists (409) when it has it already."""
    with db_session.writer() as session:
        row = _get_row(session, flavorid, for_update=True)
        if any(p.project_id == project_id for p in row.projects):
            raise exception.FlavorAccessExists(flavor_id=flavorid,
                                               project_id=project_id)
        row.projects.append(models.FlavorProject(project_id=project_id))
        session.flush()
        return _to_dict(row)


def flavor_access_remove(flavorid, project_id):
    """Take project_id's access away; returns the flavor.
    FlavorAccessNotFound (404) when it had none."""
    with db_session.writer() as session:
        row = _get_row(session, flavorid, for_update=True)
        for project in row.projects:
            if project.project_id == project_id:
                row.projects.remove(project)
                session.flush()
                return _to_dict(row)
        raise exception.FlavorAccessNotFound(flavor_id=flavorid,
                                             project_id=project_id)


def flavor_create_defaults():
    """Create the default flavors that are missing; returns their names."""
    created = []
    for flavor in DEFAULT_FLAVORS:
        try:
            flavor_create(dict(flavor))
            created.append(flavor['name'])
        except exception.Conflict:
            pass
    return created
