"""/os-server-external-events: other services (Neutron, Cinder) tell a
server's compute that something happened to it (a VIF plugged, a volume
extended, a power change).

As upstream: each event gets a code, 200 when its server is on a host
(the event is sent to that compute), 404 when the server does not exist,
422 when it has no host yet; the answer is 200 when every event was
accepted, 207 when some were not, 404 when none was.
"""

from nova.api.policies import server_external_events as policies
from nova.api import policy
from nova.api.schemas import server_external_events as schemas
from nova.api.views import server_external_events as views
from nova.api import wsgi
from nova import exception


def create(req):
    policy.authorize(req.context, policies.CREATE, {})
    sent = req.body_json(schemas.create(req.version))['events']
    for event in sent:
        if event['name'] == 'power-update' and \
                event.get('tag') not in schemas.POWER_TAGS:
            raise exception.Invalid(
                'Invalid tag %s for a power-update event: it must be one '
                'of %s.' % (event.get('tag'), ', '.join(schemas.POWER_TAGS)))
    codes = req.compute_api.external_instance_event(req.context, sent)
    shown = [views.event(event, code) for event, code in zip(sent, codes)]
    status = 200 if all(code == 200 for code in codes) else 207
    return wsgi.json_response(views.collection(shown), status=status)
