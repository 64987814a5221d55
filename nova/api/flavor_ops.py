"""What the flavor handlers do beyond HTTP: which flavors a caller sees,
and the changes to a flavor's extra specs.

A private flavor is an admin's, and the projects' it was shared with; to
anyone else it does not exist (404), as upstream's flavor lookup has it.
"""

from oslo_utils import strutils

from nova.api import extra_specs
from nova import exception

MAX_VALUE_LENGTH = 255


def get_flavor(conductor, context, flavor_id):
    """The flavor, if context may see it; FlavorNotFound (404) else."""
    return conductor.flavor_get(
        context, flavor_id,
        project_id=None if context.is_admin else context.project_id)


def check_extra_specs(specs, validate):
    """400 unless specs may be set: a number's text must fit the column
    (the schema checks strings), and with validate (2.86+) each item must
    be a valid extra spec (nova.api.extra_specs)."""
    for key, value in specs.items():
        if isinstance(value, (int, float)):
            try:
                strutils.check_string_length(str(value), 'extra_specs value',
                                             max_length=MAX_VALUE_LENGTH)
            except ValueError as e:
                raise exception.Invalid(str(e))
        if validate:
            extra_specs.validate(key, value)


def set_extra_specs(conductor, context, flavor_id, specs):
    """Merge specs (checked) into the flavor's, numbers stored as their
    text; returns the flavor's extra specs."""
    get_flavor(conductor, context, flavor_id)
    return conductor.flavor_extra_specs_update(
        context, flavor_id, {key: str(value) for key, value in specs.items()})


def delete_extra_spec(conductor, context, flavor_id, key):
    get_flavor(conductor, context, flavor_id)
    conductor.flavor_extra_spec_delete(context, flavor_id, key)
