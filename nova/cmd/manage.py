"""nova-manage: operator commands that work on the database directly.

    nova-manage db sync            apply every schema migration
    nova-manage db version         show the schema revision
    nova-manage flavor defaults    create the missing default flavors
    nova-manage trace REQUEST_ID [--logs DIR]
                                   one request's log lines (every *.log
                                   of DIR) and action events, in time
                                   order, with each service's share
"""

import glob
import logging
import os
import sys

from oslo_config import cfg
from sqlalchemy.engine import url as sa_url

from nova.cmd import trace as trace_cmd
from nova.db import actions as db_actions
from nova.db import flavors as db_flavors
from nova.db import migration
from nova.db import session as db_session
from nova import config
from nova import conf as nova_conf


def db_sync(conf):
    engine = db_session.configure(conf)
    migration.db_sync(engine)
    print('Database at revision %s' % migration.db_version(engine))


def db_version(conf):
    print(migration.db_version(db_session.configure(conf)) or 'None')


def flavor_defaults(conf):
    db_session.configure(conf)
    created = db_flavors.flavor_create_defaults()
    print('Created flavors: %s' % (', '.join(created) or 'none missing'))


# devstack's log directory: where to look when neither --logs nor
# [DEFAULT] log_dir says.
DEFAULT_LOG_DIR = '/opt/stack/logs'


def trace(conf):
    request_id = conf.category.request_id
    log_dir = conf.category.logs or conf.log_dir or DEFAULT_LOG_DIR
    paths = sorted(glob.glob(os.path.join(log_dir, '*.log')))
    if not paths:
        print('No *.log files in %s (--logs)' % log_dir, file=sys.stderr)
    actions = []
    url = sa_url.make_url(conf.database.connection)
    if url.get_backend_name() == 'sqlite' and url.database and \
            not os.path.exists(url.database):
        # Not made here: it would be an empty database.
        print('Instance actions not read (no database at %s): log lines '
              'only' % url.database, file=sys.stderr)
    else:
        # Its failure is said here, in one line, not logged with a
        # traceback in the middle of the timeline.
        logging.getLogger('nova.db').setLevel(logging.CRITICAL)
        try:
            db_session.configure(conf)
            actions = db_actions.actions_get_by_request_id(request_id)
        except Exception as e:
            # The logs alone still tell most of the story.
            reason = (str(e).splitlines() or [type(e).__name__])[0]
            print('Instance actions not read (%s): log lines only' % reason,
                  file=sys.stderr)
    sys.stdout.write(trace_cmd.render(
        request_id, trace_cmd.timeline(request_id, paths, actions)))


COMMANDS = {
    'db': {'sync': db_sync, 'version': db_version},
    'flavor': {'defaults': flavor_defaults},
    'trace': trace,
}


def _add_parsers(subparsers):
    for category, actions in COMMANDS.items():
        parser = subparsers.add_parser(category)
        if callable(actions):
            continue
        sub = parser.add_subparsers(dest='action')
        sub.required = True
        for action in actions:
            sub.add_parser(action)
    parser = subparsers.choices['trace']
    parser.add_argument('request_id', help='req-<uuid>, as the API '
                        'returned it in x-openstack-request-id')
    parser.add_argument('--logs', metavar='DIR', help='the services\' logs (default: '
                        '[DEFAULT] log_dir, else %s)' % DEFAULT_LOG_DIR)


def main(argv=None):
    conf = nova_conf.CONF
    conf.register_cli_opt(cfg.SubCommandOpt(
        'category', title='Command categories', handler=_add_parsers))
    conf = config.parse_args(argv or sys.argv, conf, init_rpc=False)
    command = COMMANDS[conf.category.name]
    if not callable(command):
        command = command[conf.category.action]
    command(conf)
    return 0
