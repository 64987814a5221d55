"""GET /resource_providers/{uuid}/usages and GET /usages (1.9)."""

from nova.api.placement import resource_providers
from nova.api.placement import schemas
from nova.api.policies import placement as policies
from nova.api import policy
from nova.api import wsgi


def list_provider_usages(req, uuid):
    provider = resource_providers.get_provider(req, uuid,
                                               policies.PROVIDER_USAGES)
    return wsgi.json_response({
        'usages': provider['usages'],
        'resource_provider_generation': provider['generation']})


def list_total_usages(req):
    params = schemas.usages_params(req)
    # The project asked about is the target: its readers may look.
    policy.authorize(req.context, policies.TOTAL_USAGES,
                     {'project_id': params['project_id'],
                      'user_id': params.get('user_id')})
    usages = req.conductor.usages_get(req.context, params['project_id'],
                                      params.get('user_id'))
    return wsgi.json_response({'usages': usages})
