"""Request schemas of os-quota-class-sets (upstream's): before 2.50 every
resource, from 2.50 none of the nova-network ones, from 2.57 no
injected-file ones either."""

from nova.api.schemas import quota_sets
from nova import quota


def _update(properties):
    return {
        'type': 'object',
        'properties': {
            'quota_class_set': {
                'type': 'object',
                'properties': properties,
                'additionalProperties': False,
            },
        },
        'required': ['quota_class_set'],
        'additionalProperties': False,
    }


# PUT /os-quota-class-sets/{quota_class}
update = _update(quota_sets.limits())
update_v2_50 = _update(quota_sets.limits(quota.NETWORK_RESOURCES))
update_v2_57 = _update(quota_sets.limits(
    quota.NETWORK_RESOURCES + quota.INJECTED_FILE_RESOURCES))
