"""GET /resource_providers[/{uuid}]: the compute nodes as providers."""

from nova.api.placement import schemas
from nova.api.policies import placement as policies
from nova.api import policy
from nova.api import wsgi

PARENT_ROOT_VERSION = (1, 14)
ALLOCATIONS_LINK_VERSION = (1, 11)


def authorize(req, rule, target=None):
    policy.authorize(req.context, rule, target)


def get_provider(req, uuid, rule):
    """The provider (a dict: inventories, usages, aggregates, traits
    too), once rule allows; 404 naming it when there is none."""
    authorize(req, rule)
    return req.conductor.resource_provider_get(req.context, uuid)


def provider_url(req, uuid):
    return '%s/resource_providers/%s' % (req.script_name, uuid)


def _links(req, provider):
    url = provider_url(req, provider['uuid'])
    rels = ['inventories', 'usages']
    if req.is_version((1, 1)):
        rels.append('aggregates')
    if req.is_version((1, 6)):
        rels.append('traits')
    if req.is_version(ALLOCATIONS_LINK_VERSION):
        rels.append('allocations')
    return [{'rel': 'self', 'href': url}] + [
        {'rel': rel, 'href': '%s/%s' % (url, rel)} for rel in rels]


def view(req, provider):
    data = {'uuid': provider['uuid'], 'name': provider['name'],
            'generation': provider['generation'],
            'links': _links(req, provider)}
    if req.is_version(PARENT_ROOT_VERSION):
        data['parent_provider_uuid'] = provider['parent_provider_uuid']
        data['root_provider_uuid'] = provider['root_provider_uuid']
    return data


def list_resource_providers(req):
    authorize(req, policies.RP_LIST)
    filters = schemas.provider_filters(req)
    providers = req.conductor.resource_providers_get(req.context, filters)
    return wsgi.json_response(
        {'resource_providers': [view(req, p) for p in providers]})


def show_resource_provider(req, uuid):
    provider = get_provider(req, uuid, policies.RP_SHOW)
    return wsgi.json_response(view(req, provider))
