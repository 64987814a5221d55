"""What the flavor handlers do beyond HTTP: which flavors a caller sees,
and the changes to a flavor's extra specs and project access.

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


def access_list(conductor, context, flavor_id):
    """The private flavor (its 'projects' are the list); a public one has
    none (404)."""
    flavor = get_flavor(conductor, context, flavor_id)
    if flavor['is_public']:
        raise exception.FlavorAccessListOfPublicFlavor()
    return flavor


def add_access(conductor, context, flavor_id, project_id, refuse_public):
    """Share the flavor with project_id; returns the flavor.  A public
    flavor is refused (409) with refuse_public (2.7+); before, the row
    is added, for nothing, as upstream did."""
    flavor = get_flavor(conductor, context, flavor_id)
    if refuse_public and flavor['is_public']:
        raise exception.FlavorAccessToPublicFlavor()
    return conductor.flavor_access_add(context, flavor_id, project_id)


def remove_access(conductor, context, flavor_id, project_id):
    get_flavor(conductor, context, flavor_id)
    return conductor.flavor_access_remove(context, flavor_id, project_id)
