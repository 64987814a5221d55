"""Request schemas of /flavors/{flavor_id}/os-extra_specs: keys as server
metadata's (1-255 letters, digits and ``-_:. ``), values strings of up to
255 or numbers (stored as their text)."""

import copy

_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$'

extra_specs = {
    'type': 'object',
    'patternProperties': {
        _KEY: {'type': ['string', 'number'], 'maxLength': 255},
    },
    'additionalProperties': False,
}

# POST /os-extra_specs: {"extra_specs": {...}}, merged into the flavor's
create = {
    'type': 'object',
    'properties': {'extra_specs': extra_specs},
    'required': ['extra_specs'],
    'additionalProperties': False,
}

# PUT /os-extra_specs/{key}: the body is the one item itself
update = copy.deepcopy(extra_specs)
update.update(minProperties=1, maxProperties=1)
