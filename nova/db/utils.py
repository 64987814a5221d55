"""Helpers shared by the data modules."""

import datetime

import sqlalchemy as sa

from nova import exception


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def to_dict(row, exclude=()):
    """A plain dict of a model's columns: what crosses RPC."""
    return {c.key: getattr(row, c.key)
            for c in sa.inspect(row).mapper.column_attrs
            if c.key not in exclude}


def paginate(query, model, sort_keys, sort_dirs, limit=None, marker_row=None):
    """Keyset pagination over (sort_keys..., id), like oslo.db's helper.

    marker_row is the last row of the previous page; the next page starts
    strictly after it in the requested order.
    """
    keys = list(sort_keys)
    dirs = list(sort_dirs)
    if 'id' not in keys:
        keys.append('id')
        dirs.append(dirs[-1] if dirs else 'asc')
    columns = [getattr(model, k) for k in keys]
    if marker_row is not None:
        values = [getattr(marker_row, k) for k in keys]
        ors = []
        for i, column in enumerate(columns):
            ands = [columns[j] == values[j] for j in range(i)]
            cmp = column > values[i] if dirs[i] == 'asc' else \
                column < values[i]
            ands.append(cmp)
            ors.append(sa.and_(*ands))
        query = query.where(sa.or_(*ors))
    for column, direction in zip(columns, dirs):
        query = query.order_by(column.asc() if direction == 'asc'
                               else column.desc())
    if limit is not None:
        query = query.limit(limit)
    return query


def check_sort(model, sort_key, sort_dir, allowed):
    if sort_key not in allowed:
        raise exception.Invalid(reason='Invalid sort_key %s' % sort_key)
    if sort_dir not in ('asc', 'desc'):
        raise exception.Invalid(reason='Invalid sort_dir %s' % sort_dir)
