"""[database] options; read only by nova-conductor and nova-manage."""

from oslo_config import cfg

from nova.conf import groups

database_group = cfg.OptGroup('database', title='Database options')

database_opts = [
    cfg.StrOpt('connection',
               secret=True,
               default='sqlite:///$state_path/nova.sqlite',
               help="""
SQLAlchemy URL of the database.

Possible values: sqlite:///<path>, mysql+pymysql://user:pass@host/db,
postgresql+psycopg2://user:pass@host/db.
"""),
    cfg.IntOpt('max_pool_size',
               default=10,
               min=1,
               help='Connections kept open in the pool (server databases).'),
    cfg.IntOpt('max_overflow',
               default=20,
               min=0,
               help='Extra connections allowed beyond max_pool_size.'),
    cfg.IntOpt('connection_recycle_time',
               default=3600,
               help='Seconds after which a pooled connection is replaced.'),
    cfg.BoolOpt('connection_debug',
                default=False,
                help='Log every SQL statement (very verbose).'),
]


def register_opts(conf):
    groups.register(conf, database_group, database_opts)


def list_opts():
    return {database_group.name: database_opts}
