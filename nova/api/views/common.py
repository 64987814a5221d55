"""Pieces shared by the views."""

from urllib import parse


def next_links(req, items, limit, marker_key):
    """A 'next' link when the page is full, keeping the other parameters."""
    if not items or len(items) != limit:
        return None
    params = [(k, v) for k, v in req.GET.items() if k != 'marker']
    params.append(('marker', items[-1][marker_key]))
    return [{'rel': 'next',
             'href': req.path_url + '?' + parse.urlencode(params)}]


def isotime(value):
    """Timestamps as Nova shows them in most bodies: no zone, microseconds."""
    return value.isoformat() if value is not None else None
