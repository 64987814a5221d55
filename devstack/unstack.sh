#!/usr/bin/env bash
# Stop the services stack.sh started (only those: it reads their pid files),
# remove nova's libvirt domains, stop the hosts' sshds (and remove their
# bridge and keys, devstack/hosts.sh), the extra computes' libvirtds and take
# the flat network down (its dnsmasq, NAT rule, veths and bridge), and stop
# Neutron, OVN and Open vSwitch (devstack/neutron.sh) if it started them,
# Horizon, and the deployment's own RabbitMQ cluster (devstack/rabbitmq.sh).
# The machine's RabbitMQ, the database and the main libvirtd are left
# running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/keystone.sh"
source "$(dirname "${BASH_SOURCE[0]}")/glance.sh"
source "$(dirname "${BASH_SOURCE[0]}")/libvirt.sh"
source "$(dirname "${BASH_SOURCE[0]}")/neutron.sh"
source "$(dirname "${BASH_SOURCE[0]}")/horizon.sh"
source "$(dirname "${BASH_SOURCE[0]}")/novnc.sh"

# Every nova service with a pid file, whatever NOVA_COMPUTES says now.
names=()
for pidfile in "$NOVA_PID_DIR"/n-*.pid; do
    [ -e "$pidfile" ] && names+=("$(basename "$pidfile" .pid)")
done
[ ${#names[@]} -eq 0 ] || stop_services "${names[@]}"
# After nova-compute: it would otherwise see its guests vanish.
libvirt_unstack
# After the guests: their ports are on the integration bridge.
neutron_unstack
# After the guests and the extra hosts: their taps and veths are on the
# bridge, and a guest still running would lose its network under it.
flat_unstack
horizon_stop
glance_stop
keystone_stop
# Last: nothing of the deployment uses its own RabbitMQ cluster any more.
rabbit_cluster_stop
say "stopped"
