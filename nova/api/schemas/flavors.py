"""Request schemas of /flavors."""

import copy

from nova.api import validation

_flavor_id = {
    'type': ['string', 'integer', 'null'], 'minLength': 1,
    'maxLength': 255, 'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$',
}

create = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': validation.name,
                'id': _flavor_id,
                'ram': validation.positive_integer,
                'vcpus': validation.positive_integer,
                'disk': validation.non_negative_integer,
                'OS-FLV-EXT-DATA:ephemeral': validation.non_negative_integer,
                'swap': validation.non_negative_integer,
                'rxtx_factor': {'type': ['number', 'string'],
                                'pattern': r'^[0-9]+(\.[0-9]+)?$',
                                'minimum': 0, 'exclusiveMinimum': True,
                                'maximum': 3.40282e+38},
                'os-flavor-access:is_public': validation.boolean,
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

create_v2_55 = copy.deepcopy(create)
create_v2_55['properties']['flavor']['properties']['description'] = (
    validation.description)

update_v2_55 = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {'description': validation.description},
            'required': ['description'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}
