"""Flavors: which ones a caller sees, their creation, extra specs and
project access (upstream's nova/compute/flavors.py and the flavor calls of
its compute API).

A private flavor is an admin's, and the projects' it was shared with; to
anyone else it does not exist (404), as upstream's flavor lookup has it.
"""

import uuid

from nova import exception


class FlavorAPI:
    """Reached by the handlers as req.compute_api.flavors."""

    def __init__(self, conductor):
        self.conductor = conductor

    def get(self, context, flavor_id):
        """The flavor, if context may see it; FlavorNotFound (404) else."""
        return self.conductor.flavor_get(
            context, flavor_id,
            project_id=None if context.is_admin else context.project_id)

    def create(self, context, name, memory_mb, vcpus, root_gb,
               flavorid=None, ephemeral_gb=0, swap=0, rxtx_factor=1.0,
               is_public=True, description=None):
        """A new flavor (flavorid a new uuid when not given)."""
        return self.conductor.flavor_create(context, {
            'flavorid': str(uuid.uuid4() if flavorid is None else flavorid),
            'name': name, 'memory_mb': int(memory_mb), 'vcpus': int(vcpus),
            'root_gb': int(root_gb), 'ephemeral_gb': int(ephemeral_gb),
            'swap': int(swap), 'rxtx_factor': float(rxtx_factor),
            'is_public': is_public, 'description': description})

    def update_description(self, context, flavor_id, description):
        return self.conductor.flavor_update(context, flavor_id,
                                            {'description': description})

    def delete(self, context, flavor_id):
        self.conductor.flavor_destroy(context, flavor_id)

    def set_extra_specs(self, context, flavor_id, specs):
        """Merge specs (checked by the caller) into the flavor's, numbers
        stored as their text; returns the flavor's extra specs."""
        self.get(context, flavor_id)
        return self.conductor.flavor_extra_specs_update(
            context, flavor_id,
            {key: str(value) for key, value in specs.items()})

    def delete_extra_spec(self, context, flavor_id, key):
        self.get(context, flavor_id)
        self.conductor.flavor_extra_spec_delete(context, flavor_id, key)

    def access_list(self, context, flavor_id):
        """The private flavor (its 'projects' are the list); a public one
        has none (404)."""
        flavor = self.get(context, flavor_id)
        if flavor['is_public']:
            raise exception.FlavorAccessListOfPublicFlavor()
        return flavor

    def add_access(self, context, flavor_id, project_id, refuse_public):
        """Share the flavor with project_id; returns the flavor.  A public
        flavor is refused (409) with refuse_public (2.7+); before, the row
        is added, for nothing, as upstream did."""
        flavor = self.get(context, flavor_id)
        if refuse_public and flavor['is_public']:
            raise exception.FlavorAccessToPublicFlavor()
        return self.conductor.flavor_access_add(context, flavor_id,
                                                project_id)

    def remove_access(self, context, flavor_id, project_id):
        self.get(context, flavor_id)
        return self.conductor.flavor_access_remove(context, flavor_id,
                                                   project_id)
