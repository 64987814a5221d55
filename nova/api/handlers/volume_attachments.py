"""/servers/{server_id}/os-volume_attachments[/{volume_id}].

This cloud has no volume service (Cinder), so no volume is ever attached:
an attach or a detach answers what upstream answers when the volume
service does not know the volume (404 naming it), and says why; a swap
likewise; showing or updating an attachment answers upstream's 404 of a
volume the server is not attached to.  Upstream's order is kept: the
body's schema, the server (404, another project's too), the policy, then
the volume.  Horizon's instance page lists the attachments.
"""

from nova.api.handlers import servers
from nova.api.policies import volume_attachments as policies
from nova.api import policy
from nova.api.schemas import volume_attachments as schemas
from nova.api.views import volume_attachments as views
from nova.api import wsgi
from nova import exception

STRICT_QUERY = (2, 75)
CREATE_TAG = (2, 49)
CREATE_DELETE_ON_TERMINATION = (2, 79)
# Before it, a PUT only swaps the volume.
UPDATE_FIELDS = (2, 85)


class NoVolumeService(exception.VolumeNotFound):
    msg_fmt = ('Volume %(volume_id)s could not be found: this cloud has '
               'no volume service (Cinder).')


def _not_attached(server_id, volume_id):
    return exception.VolumeAttachmentNotFound(instance=server_id,
                                              volume=volume_id)


def list_attachments(req, server_id):
    req.query(schemas.index_query_v2_75 if req.is_version(STRICT_QUERY)
              else schemas.index_query)
    servers.get_authorized_instance(req, server_id, policies.INDEX)
    # Nothing can be attached here (attach is a 404, a boot from a volume
    # a 400): none, as the server's volumes_attached says.
    return wsgi.json_response(views.index([]))


def show_attachment(req, server_id, volume_id):
    servers.get_authorized_instance(req, server_id, policies.SHOW)
    raise _not_attached(server_id, volume_id)


def attach_volume(req, server_id):
    if req.is_version(CREATE_DELETE_ON_TERMINATION):
        schema = schemas.create_v2_79
    elif req.is_version(CREATE_TAG):
        schema = schemas.create_v2_49
    else:
        schema = schemas.create
    body = req.body_json(schema)
    servers.get_authorized_instance(req, server_id, policies.CREATE)
    raise NoVolumeService(volume_id=body['volumeAttachment']['volumeId'])


def update_attachment(req, server_id, volume_id):
    fields = req.is_version(UPDATE_FIELDS)
    body = req.body_json(schemas.update_v2_85 if fields
                         else schemas.update)
    new_volume_id = body['volumeAttachment']['volumeId']
    instance = servers.get_instance(req, server_id)
    if not fields:
        # Only a swap: upstream checks it against no project, then looks
        # the attached volume up.
        policy.authorize(req.context, policies.SWAP, {})
        raise NoVolumeService(volume_id=volume_id)
    if new_volume_id != volume_id:
        # An update that swaps too: the swap's rule, then the attachment.
        policy.authorize(req.context, policies.SWAP, {})
    else:
        policy.authorize(req.context, policies.UPDATE,
                         {'project_id': instance['project_id'],
                          'user_id': instance['user_id']})
    raise _not_attached(server_id, volume_id)


def detach_volume(req, server_id, volume_id):
    servers.get_authorized_instance(req, server_id, policies.DELETE)
    raise NoVolumeService(volume_id=volume_id)
