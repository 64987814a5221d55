"""GET /resource_providers/{uuid}/inventories[/{resource_class}]."""

from nova.api.placement import resource_providers
from nova.api.policies import placement as policies
from nova.api import wsgi
from nova import exception


class InventoryNotFound(exception.NotFound):
    # Upstream's words (placement/handlers/inventory.py).
    msg_fmt = 'No inventory of class %(resource_class)s for %(uuid)s'


def list_inventories(req, uuid):
    provider = resource_providers.get_provider(req, uuid,
                                               policies.INVENTORY_LIST)
    return wsgi.json_response({
        'inventories': provider['inventories'],
        'resource_provider_generation': provider['generation']})


def show_inventory(req, uuid, resource_class):
    provider = resource_providers.get_provider(req, uuid,
                                               policies.INVENTORY_SHOW)
    inventory = provider['inventories'].get(resource_class)
    if inventory is None:
        raise InventoryNotFound(resource_class=resource_class, uuid=uuid)
    return wsgi.json_response(dict(
        inventory, resource_provider_generation=provider['generation']))
