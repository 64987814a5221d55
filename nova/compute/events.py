"""Instance-action events and faults, recorded through the conductor."""

import contextlib
import traceback

from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)


def message(error):
    """What a user may read of error."""
    if isinstance(error, exception.NovaException):
        return error.format_message()
    return '%s: %s' % (type(error).__name__, error)


@contextlib.contextmanager
def instance_event(conductor, context, instance_uuid, event, host):
    """Record event (start, then finish with Success or Error)."""
    conductor.event_start(context, instance_uuid, event, host)
    try:
        yield
    except Exception as error:
        try:
            conductor.event_finish(
                context, instance_uuid, event, 'Error',
                traceback=traceback.format_exc(), details=message(error))
        except exception.NotFound:
            pass
        raise
    conductor.event_finish(context, instance_uuid, event, 'Success')


def add_fault(conductor, context, instance_uuid, error, host):
    """An instance fault from error: details only for 500s, as upstream."""
    code = getattr(error, 'code', 500)
    details = ''.join(traceback.format_exception(error)) \
        if code == 500 else None
    try:
        conductor.instance_fault_create(context, instance_uuid, code,
                                        message(error), details, host)
    except exception.NotFound:
        LOG.debug('No fault recorded: instance is gone',
                  instance_uuid=instance_uuid)


def step(manager, context, uuid, expected, values):
    """Save values if the instance's task_state is still expected."""
    return manager.conductor.instance_update(context, uuid, values,
                                             expected_task_state=[expected])
