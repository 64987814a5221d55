"""[neutron] options: where and how nova reaches the Networking API
(``[network] backend = neutron``).

Besides nova's own options the group holds keystoneauth's three sets, as
upstream's [neutron] does:

* adapter options (``service_type``, ``valid_interfaces``, ``region_name``,
  ``endpoint_override``, ``connect_retries``, ...): which endpoint;
* session options (``cafile``, ``insecure``, ``timeout``, ...): how the
  connections are made;
* auth options (``auth_type``, ``auth_url``, ``username``, ...): nova's own
  user for Neutron.  Calls made for a user carry the user's token (and
  nova's service token, see [service_user]); the calls only nova may make
  (port bindings: ``binding:host_id``), and every call made for no user (a
  periodic task), are made as this user, or without a token when auth_type
  is not set (a Neutron running with ``auth_strategy = noauth``).
"""

import copy

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

from nova.conf import groups

NEUTRON_GROUP = 'neutron'

neutron_group = cfg.OptGroup(NEUTRON_GROUP,
                             title='Networking service (Neutron) options',
                             help="""
How nova reaches the Networking API when [network] backend is neutron.
Without endpoint_override the endpoint is looked up in the service catalog
of this group's auth user (service_type, valid_interfaces, region_name).
""")

neutron_opts = [
    cfg.StrOpt('ovs_bridge',
               default='br-int',
               help="""
The Open vSwitch bridge a port's VIF is plugged into when Neutron's
binding:vif_details names none (bridge_name).  Neutron's own integration
bridge option and OVN's bridge should name the same bridge.
"""),
]

# What the sample and the code use when the operator says nothing: the
# network service's type, the internal endpoint before the public one, and
# (as upstream's [neutron] http_retries) 3 retries of an unreachable
# Neutron.
ADAPTER_DEFAULTS = {'service_type': 'network',
                    'valid_interfaces': ['internal', 'public'],
                    'connect_retries': 3}
SESSION_DEFAULTS = {'timeout': 60.0}
SAMPLE_AUTH_PLUGINS = ('password',)


def register_opts(conf):
    groups.register(conf, neutron_group, neutron_opts)
    ks_loading.register_session_conf_options(conf, NEUTRON_GROUP)
    ks_loading.register_auth_conf_options(conf, NEUTRON_GROUP)
    ks_loading.register_adapter_conf_options(conf, NEUTRON_GROUP,
                                             include_deprecated=False)
    for name, default in dict(ADAPTER_DEFAULTS,
                              **SESSION_DEFAULTS).items():
        conf.set_default(name, default, group=NEUTRON_GROUP)


def _with_defaults(opts, defaults):
    opts = list(opts)
    for i, opt in enumerate(opts):
        if opt.dest in defaults:
            opts[i] = copy.copy(opt)
            opts[i].default = defaults[opt.dest]
    return opts


def list_opts():
    opts = list(neutron_opts)
    opts += _with_defaults(
        ks_loading.get_adapter_conf_options(include_deprecated=False),
        ADAPTER_DEFAULTS)
    opts += _with_defaults(ks_loading.get_session_conf_options(),
                           SESSION_DEFAULTS)
    opts += ks_loading.get_auth_common_conf_options()
    for plugin in SAMPLE_AUTH_PLUGINS:
        opts += ks_loading.get_auth_plugin_conf_options(plugin)
    return {neutron_group.name: opts}
