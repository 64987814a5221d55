"""[glance] options: where and how nova reaches the Image API (v2)."""

from oslo_config import cfg

from nova.conf import groups

glance_group = cfg.OptGroup('glance', title='Image service (Glance) options')

glance_opts = [
    cfg.URIOpt('endpoint',
               default='http://127.0.0.1:9292',
               schemes=['http', 'https'],
               help="""
URL of the Image API, without the version: requests go to <endpoint>/v2/...

devstack/stack.sh sets it to the Glance it starts.
"""),
    cfg.FloatOpt('timeout',
                 default=60.0,
                 min=0.1,
                 help='Seconds to wait for the Image API to connect or to '
                      'send the next bytes of a response.'),
    cfg.IntOpt('num_retries',
               default=3,
               min=0,
               help="""
How many times a request is retried when the Image API cannot be reached, and
(reads only) when it answers 503.  Uploads are never retried.
"""),
    cfg.FloatOpt('api_image_cache_seconds',
                 default=5.0,
                 min=0,
                 help="""
Seconds nova-api keeps what the Image API said about an active image when a
server is created from it, per caller: creates from one image in a row ask
Glance once.  A change to the image in Glance (deactivated, deleted, a larger
min_disk) is seen by creates that much later at most; the compute's download
still refuses an image that is no longer active.  0 asks every time.
"""),
    cfg.BoolOpt('insecure',
                default=False,
                help='Skip the TLS certificate check of an https endpoint.'),
    cfg.StrOpt('cafile',
               help='CA bundle that verifies an https endpoint (default: the '
                    'system bundle).'),
]


def register_opts(conf):
    groups.register(conf, glance_group, glance_opts)


def list_opts():
    return {glance_group.name: glance_opts}
