"""The image metadata an instance keeps of its image, and that of the
images made of it (createImage, createBackup, shelve)."""


def image_system_metadata(image):
    """The image_* keys an instance keeps about its image."""
    meta = {'image_' + k: v for k, v in
            (image.get('properties') or {}).items()}
    meta.update(image_base_image_ref=image['id'],
                image_disk_format=image.get('disk_format'),
                image_container_format=image.get('container_format'),
                image_min_ram=image.get('min_ram'),
                image_min_disk=image.get('min_disk'))
    return meta


# image_* system metadata that describes the instance, not its image.
_NOT_INHERITED = frozenset(('base_image_ref', 'disk_format',
                            'container_format', 'min_ram', 'min_disk',
                            'instance_uuid', 'image_type', 'image_location',
                            'image_state', 'owner_id', 'user_id'))


def inherited_image_properties(system_metadata):
    """The boot image's properties a snapshot of the instance keeps
    (kernel_id, ramdisk_id, os_command_line, hw_*...), so it boots the
    same way."""
    return {key[len('image_'):]: value
            for key, value in (system_metadata or {}).items()
            if key.startswith('image_') and value is not None
            and key[len('image_'):] not in _NOT_INHERITED}


def snapshot_image_meta(context, instance, name, image_type, metadata,
                        **extra_properties):
    """The new image of a createImage ('snapshot') or createBackup
    ('backup', with backup_type): the boot image's formats and the
    properties that boot it the same way, what says where it comes from,
    then the caller's metadata, which may override those as upstream's
    does (Tempest names its snapshots' image_type), then the backup's."""
    system_metadata = instance.get('system_metadata') or {}
    properties = inherited_image_properties(system_metadata)
    properties.update(instance_uuid=instance['uuid'], image_type=image_type,
                      base_image_ref=instance['image_ref'],
                      user_id=context.user_id)
    properties.update(metadata or {})
    properties.update(extra_properties)
    return {
        'name': name,
        'disk_format': system_metadata.get('image_disk_format') or 'qcow2',
        'container_format':
            system_metadata.get('image_container_format') or 'bare',
        'min_disk': instance['root_gb'] or 0,
        'min_ram': system_metadata.get('image_min_ram') or 0,
        'properties': properties}


def shelved_image_meta(instance):
    """The image a shelve keeps the instance's disk in, named after it."""
    system_metadata = instance.get('system_metadata') or {}
    return {
        'name': '%s-shelved' % instance['display_name'],
        'disk_format': system_metadata.get('image_disk_format') or 'qcow2',
        'container_format':
            system_metadata.get('image_container_format') or 'bare',
        'properties': dict(
            inherited_image_properties(system_metadata),
            instance_uuid=instance['uuid'], image_type='snapshot',
            base_image_ref=instance['image_ref'])}
