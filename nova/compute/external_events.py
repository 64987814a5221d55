"""External events another service sent about an instance of this host
(POST /os-server-external-events, relayed by nova-api).

The flat network keeps each instance's network_info in the database, so
network-changed needs no refresh and nothing waits for VIF events yet
(the Neutron backend will); those are logged for the operator.  A
power-update compares the instance with the hypervisor as a lifecycle
event does.
"""

from oslo_log import log as logging

from nova.compute import recovery

LOG = logging.getLogger(__name__)


def handle(manager, context, instance_uuid, events):
    for event in events:
        name, tag, status = event['name'], event.get('tag'), \
            event.get('status')
        if name == 'power-update':
            recovery.handle_lifecycle_event(
                manager, instance_uuid, 'power-update %s' % tag)
        else:
            LOG.info('Received event %s:%s (%s); nothing waits for it on '
                     'this host', name, tag, status,
                     instance_uuid=instance_uuid)
