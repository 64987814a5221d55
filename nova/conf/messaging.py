"""nova's defaults for oslo.messaging's RabbitMQ options.

[oslo_messaging_rabbit] rabbit_quorum_queue is true: the queues of the
services' topics (conductor, scheduler, compute, compute.<host>) are quorum
queues, durable, their messages kept on disk, and the control exchange is
durable too.  A message waiting for its service survives a restart of the
broker: with the non-durable queues oslo.messaging declares by default, a
create cast while the broker restarted, or before the consumers came back
and declared their queues again, was dropped without a trace.  The reply
and fanout queues stay transient (rabbit_transient_quorum_queue false):
they live as long as their process, and a call whose reply a restarting
broker lost times out and is retried where that is safe
(nova.conductor.retry).

Quorum queues need RabbitMQ 3.8 or later; set rabbit_quorum_queue = false
for an older broker (devstack/stack.sh does, from rabbitmqctl version).

An existing queue is not changed by a new declaration: RabbitMQ refuses one
with other arguments (PRECONDITION_FAILED, "inequivalent arg").  After
switching a deployment, its services' classic queues and its non-durable
control exchange must be deleted while its services are stopped (stack.sh
does so for the queues no one consumes), or the deployment moved to a new
virtual host.

The defaults are set on oslo.messaging's own option objects, as
messaging.set_transport_defaults does for the control exchange: every
ConfigOpts of the process and the sample (oslo-config-generator) see them.
There is no public API for the rabbit driver's options.
"""

from oslo_config import cfg

RABBIT_DEFAULTS = {'rabbit_quorum_queue': True}


def set_defaults():
    from oslo_messaging._drivers import impl_rabbit
    cfg.set_defaults(impl_rabbit.rabbit_opts, **RABBIT_DEFAULTS)
