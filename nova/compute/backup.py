"""createBackup on this host: a snapshot, then the rotation.

The snapshot is createImage's (the driver uploads the guest's disk into
the image the API created, of image_type 'backup'); then the instance's
backups of that backup_type beyond the newest ``rotation`` are deleted
from the Image API, oldest first.  Rotation 0 keeps none, not even the
backup just made (as upstream).
"""

from oslo_log import log as logging

from nova.compute import power
from nova import exception

LOG = logging.getLogger(__name__)


def backup(manager, context, instance_uuid, image_id, backup_type,
           rotation):
    def work(instance):
        manager.driver.snapshot(
            context, instance, image_id,
            lambda data: manager.image_api.upload(context, image_id, data))
        # Within the backup's event: done when it says so.  The backup is
        # made; a rotation that fails is logged, not the backup's error.
        try:
            rotate(manager.image_api, context, instance_uuid, backup_type,
                   rotation)
        except Exception:
            LOG.exception('Rotating the backups of type %s failed',
                          backup_type, instance_uuid=instance_uuid)

    def discard(error):
        manager.image_api.delete(context, image_id)

    power.perform(manager, context, instance_uuid, 'createBackup',
                  'compute_backup_instance', work, on_failure=discard)


def _created(image):
    return str(image.get('created_at') or '')


def rotate(image_api, context, instance_uuid, backup_type, rotation):
    """Delete the instance's backups of backup_type beyond the newest
    rotation; returns the ids deleted."""
    backups = image_api.detail(context, image_type='backup',
                               backup_type=backup_type,
                               instance_uuid=instance_uuid)
    # The Image API filters on the properties; checked again here, as an
    # Image API that ignored a filter must not cost other images.
    backups = [image for image in backups
               if (image.get('properties') or {}).get('image_type') ==
               'backup' and
               image['properties'].get('backup_type') == backup_type and
               image['properties'].get('instance_uuid') == instance_uuid]
    backups.sort(key=_created, reverse=True)
    deleted = []
    for image in backups[rotation:]:
        try:
            image_api.delete(context, image['id'])
        except exception.NotFound:
            continue
        except Exception:
            LOG.exception('Deleting backup %s beyond the rotation (%d) '
                          'failed', image['id'], rotation,
                          instance_uuid=instance_uuid)
            continue
        deleted.append(image['id'])
    if deleted:
        LOG.info('Rotated out %d backup(s) of type %s: %s', len(deleted),
                 backup_type, ', '.join(deleted),
                 instance_uuid=instance_uuid)
    return deleted
