"""[service_user] options: nova's own token, sent along with a user's.

keystoneauth's session options (how nova reaches Keystone to get its token)
and auth options (who it is there: auth_type, auth_url, username, ...) live
in this group next to ``send_service_user_token``; see ``nova.service_auth``.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

from nova.conf import glance
from nova.conf import groups

SERVICE_USER_GROUP = 'service_user'
TIMEOUT = 60

service_user_group = cfg.OptGroup(
    SERVICE_USER_GROUP,
    title='Service token options',
    help="""
The user nova authenticates as to send a service token (X-Service-Token)
with the user's token when it calls another service's API on a user's
behalf.
""")

service_user_opts = [
    cfg.BoolOpt('send_service_user_token',
                default=False,
                help="""
When a call to another service's API (the Image API) carries a user's token,
also send a token of the service user configured in this group.

A user's token that was valid when nova-api accepted a request may expire
before a compute makes the calls the request leads to (a snapshot of a large
disk uploads for longer than a token lives).  keystonemiddleware in front of
the other service accepts an expired user token when a valid service token
with a service role comes with it (its [keystone_authtoken]
service_token_roles), and the call shows it is nova acting for the user.
Needs auth_type and its options in this group.
"""),
]


def register_opts(conf):
    groups.register(conf, service_user_group, service_user_opts)
    ks_loading.register_session_conf_options(conf, SERVICE_USER_GROUP)
    ks_loading.register_auth_conf_options(conf, SERVICE_USER_GROUP)
    # keystoneauth waits for ever by default: a hung Keystone would hold
    # the compute's threads.
    conf.set_default('timeout', TIMEOUT, group=SERVICE_USER_GROUP)


def list_opts():
    return {service_user_group.name: (
        service_user_opts + glance.session_opts({'timeout': TIMEOUT})
        + glance.auth_opts())}
