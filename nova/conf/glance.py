"""[glance] options: where and how nova reaches the Image API (v2).

Besides nova's own options the group holds keystoneauth's session options
(``cafile``, ``certfile``, ``keyfile``, ``insecure``, ``timeout``, ...: how
the connections to Glance are made) and its auth options (``auth_type``,
``auth_url``, ``username``, ...: the user nova calls Glance as when a call is
made for no user, see ``nova.service_auth``).
"""

import copy

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

from nova.conf import groups

GLANCE_GROUP = 'glance'

glance_group = cfg.OptGroup(GLANCE_GROUP,
                            title='Image service (Glance) options',
                            help="""
How nova reaches the Image API.  A call made for a user carries the user's
token (and nova's own, see [service_user]); a call made for no user (a
periodic task, a recovery at startup) is made as the user of this group's
auth options when auth_type is set, and without a token otherwise (a Glance
running without Keystone).
""")

glance_opts = [
    cfg.URIOpt('endpoint',
               default='http://127.0.0.1:9292',
               schemes=['http', 'https'],
               help="""
URL of the Image API, without the version: requests go to <endpoint>/v2/...

devstack/stack.sh sets it to the Glance it starts.

A call made for a user carries the user's token (and nova's own with
[service_user] send_service_user_token).  A call made for no user (a periodic
task, a recovery at startup) is made as the user that auth_type and its
options in this group (auth_url, username, password, user_domain_name,
project_name, project_domain_name, ...) describe, and without a token when
auth_type is not set (a Glance running without Keystone).
"""),
    cfg.IntOpt('num_retries',
               default=3,
               min=0,
               help="""
How many times a request is sent again when the Image API cannot be reached
or answers 500, 502, 503 or 504 (a Glance restarting, its database locked),
after 0.5, 1, 2... seconds (at most 8), each retry logged: reads, deletes,
creates (nova chooses the new image's id, so a second create is refused, not
doubled) and uploads of data that can be read again (a file, bytes), so a
snapshot or a shelve survives a transient error.  Updates and uploads from a
stream are sent once.
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
]

# keystoneauth's session options have no timeout by default; nova's Image
# API client has always waited 60 seconds for the next bytes.
SESSION_DEFAULTS = {'timeout': 60.0}

# The auth plugins whose options the sample shows (their names are those of
# v3password too).
SAMPLE_AUTH_PLUGINS = ('password',)


def register_opts(conf):
    groups.register(conf, glance_group, glance_opts)
    ks_loading.register_session_conf_options(conf, GLANCE_GROUP)
    ks_loading.register_auth_conf_options(conf, GLANCE_GROUP)
    for name, default in SESSION_DEFAULTS.items():
        conf.set_default(name, default, group=GLANCE_GROUP)


def session_opts(defaults=None):
    """keystoneauth's session options, with ``defaults`` shown instead."""
    opts = ks_loading.get_session_conf_options()
    for i, opt in enumerate(opts):
        if opt.dest in (defaults or {}):
            opts[i] = copy.copy(opt)
            opts[i].default = defaults[opt.dest]
    return opts


def auth_opts():
    """keystoneauth's auth options as the sample shows them."""
    opts = ks_loading.get_auth_common_conf_options()
    for plugin in SAMPLE_AUTH_PLUGINS:
        opts += ks_loading.get_auth_plugin_conf_options(plugin)
    return opts


def list_opts():
    return {glance_group.name: (glance_opts + session_opts(SESSION_DEFAULTS)
                                + auth_opts())}
