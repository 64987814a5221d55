"""Query parameters of os-simple-tenant-usage, per microversion (upstream's
schemas): extra parameters are ignored until 2.75, refused from it."""

import functools

_PARAMS = ('start', 'end')
_STRING = {'type': 'array', 'items': {'type': 'string'}}


@functools.lru_cache(maxsize=None)
def query(detailed, pagination, strict):
    """index (detailed: its 'detailed' parameter) or show; pagination
    (2.40): limit and marker; strict (2.75): nothing else."""
    names = _PARAMS + (('detailed',) if detailed else ())
    if pagination:
        names += ('limit', 'marker')
    return {
        'type': 'object',
        'properties': {name: _STRING for name in names},
        'additionalProperties': not strict,
    }
