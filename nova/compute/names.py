"""The hypervisor's name of an instance, from ``instance_name_template``.

nova-api shows it (OS-EXT-SRV-ATTR:instance_name) and the virt driver names
the guest with it, so both read the same option through this one function.
"""

from nova import exception


def instance_name(template, instance):
    """``template % id`` (``instance-%08x``), or with named fields
    (``%(uuid)s``, ``%(id)d``) for templates that use them."""
    try:
        if '%(' in template:
            return template % {'id': instance.get('id') or 0,
                               'uuid': instance.get('uuid') or ''}
        return template % (instance.get('id') or 0)
    except (TypeError, ValueError, KeyError) as e:
        raise exception.InvalidConfiguration(
            reason='instance_name_template %r cannot name an instance: %s'
            % (template, e))


def name_prefix(template):
    """The fixed text before the template's first field: what every
    instance name starts with (empty when the template starts with one)."""
    return template.split('%', 1)[0]
