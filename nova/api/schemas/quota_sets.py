"""Request schemas of os-quota-sets (upstream's): the resources a PUT may
set, fewer from 2.36 (the nova-network ones) and 2.57 (the injected-file
ones); unknown query parameters refused from 2.75."""

import copy

from nova.api import validation
from nova import quota

# An integer, or its digits in a string; -1 is no limit.  (Upstream's
# pattern also lets '-5' through as a string; that is no limit either, and
# it would show in the bodies as -5, so only -1 is taken.)
limit = {
    'type': ['integer', 'string'],
    'pattern': '^(-1|[0-9]+)$',
    'minimum': -1,
    'maximum': quota.MAX_LIMIT,
}


def limits(hidden=()):
    """{resource: limit} of every resource but those hidden."""
    return {resource: limit for resource in quota.RESOURCES
            if resource not in hidden}


def _update(properties):
    return {
        'type': 'object',
        'properties': {
            'quota_set': {
                'type': 'object',
                'properties': properties,
                'additionalProperties': False,
            },
        },
        'required': ['quota_set'],
        'additionalProperties': False,
    }


# PUT /os-quota-sets/{tenant_id}
update = _update(dict(limits(), force=validation.boolean))
update_v2_36 = _update(dict(limits(quota.NETWORK_RESOURCES),
                            force=validation.boolean))
update_v2_57 = _update(dict(
    limits(quota.NETWORK_RESOURCES + quota.INJECTED_FILE_RESOURCES),
    force=validation.boolean))

# ?user_id= of show, detail, update and delete; others ignored until 2.75.
query = {
    'type': 'object',
    'properties': {'user_id': {'type': 'array',
                               'items': {'type': 'string'}}},
    'additionalProperties': True,
}
query_v2_75 = copy.deepcopy(query)
query_v2_75['additionalProperties'] = False
