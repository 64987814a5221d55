"""[api] options of nova-api."""

from oslo_config import cfg

from nova.conf import groups

api_group = cfg.OptGroup('api', title='API options')

api_opts = [
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[('keystone', 'Keystone tokens, validated by '
                         'keystonemiddleware auth_token (configured in '
                         '[keystone_authtoken]).'),
                        ('noauth2', 'Development auth: the token is '
                         '"user:project"; user "admin" is an admin.')],
               help='How nova-api authenticates requests.'),
    cfg.IntOpt('max_limit',
               default=1000,
               min=1,
               help='Maximum number of items a collection returns at once.'),
    cfg.BoolOpt('enable_instance_password',
                default=True,
                help='Return adminPass in server create/rebuild responses.'),
    cfg.IntOpt('max_request_body_size',
               default=114688,
               min=1,
               help='Largest request body nova-api accepts, in bytes.'),
]


def register_opts(conf):
    groups.register(conf, api_group, api_opts)


def list_opts():
    return {api_group.name: api_opts}
