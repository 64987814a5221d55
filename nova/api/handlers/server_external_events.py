"""/os-server-external-events: other services (Neutron, Cinder) tell a
server's compute that something happened to it (a VIF plugged, a volume
extended, a power change).

As upstream: each event gets a code, 200 when its server is on a host
(the event is sent to that compute), 404 when the server does not exist,
422 when it has no host yet; the answer is 200 when every event was
accepted, 207 when some were not, 404 when none was.
"""

from oslo_log import log as logging

from nova.api.policies import server_external_events as policies
from nova.api import policy
from nova.api.schemas import server_external_events as schemas
from nova.api.views import server_external_events as views
from nova.api import wsgi
from nova import exception

LOG = logging.getLogger(__name__)


class NoInstanceForEvents(exception.NotFound):
    msg_fmt = 'No instances found for any event'


def create(req):
    policy.authorize(req.context, policies.CREATE, {})
    sent = req.body_json(schemas.create(req.version))['events']
    for event in sent:
        if event['name'] == 'power-update' and \
                event.get('tag') not in schemas.POWER_TAGS:
            raise exception.Invalid(
                'Invalid tag %s for a power-update event: it must be one '
                'of %s.' % (event.get('tag'), ', '.join(schemas.POWER_TAGS)))
    ctxt = req.context
    uuids = sorted({e['server_uuid'] for e in sent})
    instances = {i['uuid']: i for i in req.conductor.instance_get_all(
        ctxt, filters={'uuids': uuids},
        columns=('uuid', 'host', 'vm_state', 'task_state'))}
    shown, accepted = [], {}
    for event in sent:
        instance = instances.get(event['server_uuid'])
        if instance is None:
            code = 404
        elif not instance['host']:
            code = 422
        else:
            code = 200
            accepted.setdefault(
                (instance['host'], instance['uuid']), []).append(
                    {'name': event['name'], 'tag': event.get('tag'),
                     'status': event.get('status', 'completed')})
        if code != 200:
            LOG.debug('Dropping event %s:%s for instance %s (code %d)',
                      event['name'], event.get('tag'), event['server_uuid'],
                      code)
        shown.append(views.event(event, code))
    if not accepted:
        raise NoInstanceForEvents()
    compute = req.environ['nova.compute']
    for (host, uuid), events in accepted.items():
        LOG.info('Creating events %s for instance %s on %s',
                 ', '.join('%s:%s' % (e['name'], e['tag']) for e in events),
                 uuid, host)
        compute.external_instance_event(ctxt, host, uuid, events)
    status = 200 if all(e['code'] == 200 for e in shown) else 207
    return wsgi.json_response(views.collection(shown), status=status)
