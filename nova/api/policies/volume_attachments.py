"""Volume attachments: upstream's nova/policies/volumes_attachments.py."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-volumes-attachments:%s'
INDEX = PREFIX % 'index'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
SWAP = PREFIX % 'swap'
DELETE = PREFIX % 'delete'

PATH = '/servers/{server_id}/os-volume_attachments'

rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              'List volume attachments for an instance', ('GET', PATH)),
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN,
              'Attach a volume to an instance', ('POST', PATH)),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show details of a volume attachment',
              ('GET', PATH + '/{volume_id}')),
    base.rule(UPDATE, base.PROJECT_MEMBER_OR_ADMIN,
              "Update a volume attachment's properties (2.85); a new "
              "volumeId is a swap",
              ('PUT', PATH + '/{volume_id}')),
    base.rule(SWAP, base.SERVICE,
              'Swap the volume of an attachment (the volume service '
              'migrating it)', ('PUT', PATH + '/{volume_id}')),
    base.rule(DELETE, base.PROJECT_MEMBER_OR_ADMIN,
              'Detach a volume from an instance',
              ('DELETE', PATH + '/{volume_id}')),
]


def list_rules():
    return rules
