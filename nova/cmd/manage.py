"""nova-manage: operator commands that work on the database directly.

    nova-manage db sync            apply every schema migration
    nova-manage db version         show the schema revision
    nova-manage flavor defaults    create the missing default flavors
"""

import sys

from oslo_config import cfg

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


COMMANDS = {
    'db': {'sync': db_sync, 'version': db_version},
    'flavor': {'defaults': flavor_defaults},
}


def _add_parsers(subparsers):
    for category, actions in COMMANDS.items():
        parser = subparsers.add_parser(category)
        sub = parser.add_subparsers(dest='action')
        sub.required = True
        for action in actions:
            sub.add_parser(action)


def main(argv=None):
    conf = nova_conf.CONF
    conf.register_cli_opt(cfg.SubCommandOpt(
        'category', title='Command categories', handler=_add_parsers))
    conf = config.parse_args(argv or sys.argv, conf, init_rpc=False)
    COMMANDS[conf.category.name][conf.category.action](conf)
    return 0
