"""Request schemas of /servers/{server_id}/metadata (upstream's limits: keys
of 1-255 letters, digits and ``-_:. ``, string values of up to 255)."""

import copy

metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}

# POST (merge) and PUT (replace) /metadata
create = {
    'type': 'object',
    'properties': {'metadata': metadata},
    'required': ['metadata'],
    'additionalProperties': False,
}
update_all = create

# PUT /metadata/{key}: exactly one item, that key's
_one_item = copy.deepcopy(metadata)
_one_item.update(minProperties=1, maxProperties=1)

update = {
    'type': 'object',
    'properties': {'meta': _one_item},
    'required': ['meta'],
    'additionalProperties': False,
}
