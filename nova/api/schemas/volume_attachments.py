"""Request schemas of /servers/{server_id}/os-volume_attachments:
upstream's (nova/api/openstack/compute/schemas/volume_attachments.py)."""

import copy

from nova.api.schemas import server_tags
from nova.api import validation

# ?limit= and ?offset= of the list; others ignored until 2.75.
index_query = {
    'type': 'object',
    'properties': {
        'limit': {'type': 'array',
                  'items': validation.non_negative_integer},
        'offset': {'type': 'array',
                   'items': validation.non_negative_integer},
    },
    'additionalProperties': True,
}
index_query_v2_75 = copy.deepcopy(index_query)
index_query_v2_75['additionalProperties'] = False

volume_id = {'type': 'string', 'format': 'uuid'}
# match_device() of upstream's nova/block_device.py.
device = {'type': ['string', 'null'],
          'pattern': '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'}


def _attachment(properties):
    return {
        'type': 'object',
        'properties': {
            'volumeAttachment': {
                'type': 'object',
                'properties': properties,
                'required': ['volumeId'],
                'additionalProperties': False,
            },
        },
        'required': ['volumeAttachment'],
        'additionalProperties': False,
    }


# POST: attach
create = _attachment({'volumeId': volume_id, 'device': device})
create_v2_49 = _attachment({'volumeId': volume_id, 'device': device,
                            'tag': server_tags.tag})
create_v2_79 = _attachment({'volumeId': volume_id, 'device': device,
                            'tag': server_tags.tag,
                            'delete_on_termination': validation.boolean})
# PUT: swap to volumeId (update of the attachment's fields from 2.85)
update = _attachment({'volumeId': volume_id})
update_v2_85 = _attachment({
    'volumeId': volume_id, 'device': device, 'tag': server_tags.tag,
    'delete_on_termination': validation.boolean,
    'serverId': {'type': 'string', 'format': 'uuid'},
    'id': {'type': 'string', 'format': 'uuid'}})
