"""GET /resource_providers/{uuid}/allocations and
GET /allocations/{consumer_uuid}: the allocations table's claims."""

from nova.api.policies import placement as policies
from nova.api import policy
from nova.api import wsgi

PROJECT_USER_VERSION = (1, 12)


def list_provider_allocations(req, uuid):
    policy.authorize(req.context, policies.RP_ALLOC_LIST)
    held = req.conductor.resource_provider_allocations_get(req.context, uuid)
    return wsgi.json_response({
        'allocations': held['allocations'],
        'resource_provider_generation': held['generation']})


def list_consumer_allocations(req, consumer_uuid):
    policy.authorize(req.context, policies.ALLOC_LIST)
    held = req.conductor.consumer_allocations_get(req.context,
                                                  consumer_uuid)
    body = {'allocations': held['allocations']}
    # Upstream names the consumer's project and user when it has some.
    if req.is_version(PROJECT_USER_VERSION) and held['allocations']:
        body['project_id'] = held['project_id']
        body['user_id'] = held['user_id']
    return wsgi.json_response(body)
