"""nova's defaults for oslo.messaging's RabbitMQ options.

[oslo_messaging_rabbit] rabbit_quorum_queue stays false by default:
measured side by side on this project's 2-core machine (README), quorum
queues made a server delete 36% slower (every message is written to disk
before the broker confirms it), past the 10% a change on the hot path may
cost.  With it true (devstack: NOVA_RABBIT_QUORUM_QUEUES=True or auto), the
queues of the services' topics (conductor, scheduler, compute,
compute.<host>) are quorum queues, durable, their messages kept on disk,
and the control exchange is durable too: a message waiting for its service
survives a restart of the broker.  With the default transient queues a
cast made while the broker restarted is lost, but never silently: every
message to a topic carries the mandatory flag (nova.rpc), so a cast no
queue takes fails at once (a 503 at the API).  The reply and fanout queues
stay transient either way (rabbit_transient_quorum_queue false); a call
whose reply was lost times out and is retried where that is safe
(nova.conductor.retry).

Quorum queues need RabbitMQ 3.8 or later (devstack's auto checks
rabbitmqctl version).  An existing queue is not changed by a new
declaration: RabbitMQ refuses one with other arguments
(PRECONDITION_FAILED, "inequivalent arg").  After switching a deployment to
quorum queues, its services' classic queues and its non-durable control
exchange must be deleted while its services are stopped (stack.sh does so
for the queues no one consumes), or the deployment moved to a new virtual
host.

The defaults are set on oslo.messaging's own option objects, as
messaging.set_transport_defaults does for the control exchange: every
ConfigOpts of the process and the sample (oslo-config-generator) see them.
There is no public API for the rabbit driver's options.
"""

from oslo_config import cfg

RABBIT_DEFAULTS = {'rabbit_quorum_queue': False}


def set_defaults():
    from oslo_messaging._drivers import impl_rabbit
    cfg.set_defaults(impl_rabbit.rabbit_opts, **RABBIT_DEFAULTS)
