"""Request schemas of /images/{image_id}/metadata (deprecated, gone from
2.36): string keys of 1-255 characters and string values up to 255."""

_metadata = {
    'type': 'object',
    'patternProperties': {
        '^.{1,255}$': {'type': 'string', 'maxLength': 255}},
    'additionalProperties': False,
}

# PUT and POST /metadata
update_all = {
    'type': 'object',
    'properties': {'metadata': _metadata},
    'required': ['metadata'],
    'additionalProperties': False,
}

# PUT /metadata/{key}
update = {
    'type': 'object',
    'properties': {'meta': _metadata},
    'required': ['meta'],
    'additionalProperties': False,
}
