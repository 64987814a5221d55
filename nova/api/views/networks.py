"""Networks as the (deprecated) os-networks API shows them."""

FIELDS = ('id', 'cidr', 'netmask', 'gateway', 'broadcast', 'dns1', 'dns2',
          'cidr_v6', 'gateway_v6', 'label', 'netmask_v6')
# Shown to an admin only, as upstream.
ADMIN_FIELDS = ('created_at', 'updated_at', 'deleted_at', 'deleted',
                'injected', 'bridge', 'vlan', 'vpn_public_address',
                'vpn_public_port', 'vpn_private_address', 'dhcp_start',
                'project_id', 'host', 'bridge_interface', 'multi_host',
                'priority', 'rxtx_base', 'mtu', 'dhcp_server', 'enable_dhcp',
                'share_address')


def show(context, network):
    fields = FIELDS + (ADMIN_FIELDS if context.is_admin else ())
    return {field: network.get(field) for field in fields}
