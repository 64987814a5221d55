"""Request schemas of /servers/{server_id}/tags (2.26): upstream's limits,
50 tags of 1-60 characters without '/' or ','."""

MAX_TAGS = 50

tag = {'type': 'string', 'minLength': 1, 'maxLength': 60,
       'pattern': '^[^,/]*$'}

# PUT /tags
update_all = {
    'type': 'object',
    'properties': {
        'tags': {'type': 'array', 'items': tag, 'maxItems': MAX_TAGS},
    },
    'required': ['tags'],
    'additionalProperties': False,
}

# PUT /tags/{tag}: no body (or a JSON null)
update = {'type': 'null'}
