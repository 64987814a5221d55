"""Command-line and logging set-up shared by the entry points."""

from oslo_log import log as logging

from nova.compute import names
from nova import conf as nova_conf
from nova import rpc
from nova import version

# What operators grep for: [global_request_id request_id user project].
USER_IDENTITY_FORMAT = '%(user)s %(project)s'
DEFAULT_LOG_LEVELS = [
    'amqp=WARN', 'amqplib=WARN', 'kombu=WARN', 'oslo.messaging=INFO',
    'oslo_messaging=INFO', 'sqlalchemy=WARN', 'stevedore=WARN',
    'urllib3=WARN', 'routes=WARN', 'cheroot=WARN', 'oslo_policy=INFO',
    'alembic=WARN', 'keystoneauth=WARN', 'iso8601=WARN',
    # Three DEBUG lines on every request otherwise (about 0.3 ms each).
    'keystonemiddleware=INFO',
]

_LOG_REGISTERED = False


def register_log_opts(conf):
    global _LOG_REGISTERED
    if not _LOG_REGISTERED:
        logging.register_options(conf)
        _LOG_REGISTERED = True
    logging.set_defaults(default_log_levels=DEFAULT_LOG_LEVELS)
    conf.set_default('logging_user_identity_format', USER_IDENTITY_FORMAT)


def parse_args(argv, conf=None, init_rpc=True):
    """Parse the command line and config files, then set up logging."""
    conf = conf or nova_conf.CONF
    register_log_opts(conf)
    conf(argv[1:], project='nova', version=version.RELEASE)
    logging.setup(conf, 'nova')
    # A template that cannot name an instance stops the service here, not
    # at its first request.
    names.instance_name(conf.instance_name_template,
                        {'id': 1, 'uuid': '00000000-0000-0000-0000-000000000000'})
    if init_rpc:
        rpc.init(conf)
    return conf
