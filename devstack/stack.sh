#!/usr/bin/env bash
# Bring the whole control plane up on this machine: RabbitMQ, a virtualenv
# with nova, the database, and nova-conductor, nova-scheduler, nova-compute
# and nova-api as separate processes, Keystone (devstack/keystone.sh) in
# front of nova-api and Glance, and Glance (devstack/glance.sh).
# Safe to run again: what runs stays.
#
# With the libvirt driver (devstack/libvirt.sh) it also installs and starts
# libvirt + QEMU, a private libvirtd per extra compute (its namespace joined
# to the flat network's bridge by a veth), makes each compute a host apart
# (devstack/hosts.sh: its own instances_path, address and sshd, so moves
# copy disks over ssh), and uploads the bootable tiny-linux image (and no
# image that would not boot).
#
# nova-novncproxy (devstack/novnc.sh, log n-novnc.log) serves guests' VNC
# consoles to browsers.
#
# With NOVA_NETWORK_BACKEND=neutron it also runs Open vSwitch, OVN and
# Neutron (devstack/neutron.sh), with a shared network for every project.
#
# With Keystone it also serves Horizon, the dashboard (devstack/horizon.sh;
# NOVA_ENABLE_HORIZON=False skips it).
#
# Settings (environment): see devstack/lib.sh; e.g. LOGDIR (default
# /opt/stack/logs), NOVA_DB_CONNECTION, NOVA_API_PORT (8774),
# NOVA_ENABLE_GLANCE (True), GLANCE_PORT (9292), NOVA_VIRT_DRIVER (auto),
# NOVA_COMPUTES (1), NOVA_ALLOW_MOVE_TO_SAME_HOST (True with one
# compute, else False), NOVA_FLAT_BRIDGE (br100), NOVA_FIXED_RANGE
# (10.0.0.0/24), NOVA_FLAT_NAT (False), NOVA_HOSTS_BRIDGE (brhosts),
# NOVA_HOSTS_RANGE (192.168.254.0/24), NOVA_HOST_SSH_PORT (22),
# NOVA_LIVE_MIGRATION_DIR (<NOVA_LIBVIRT_HOSTS_DIR>-migration), NOVA_AUTH_STRATEGY (keystone),
# KEYSTONE_PORT (5000), ADMIN_PASSWORD (secret), NOVA_NETWORK_BACKEND
# (flat), NEUTRON_PORT (9696), NEUTRON_FIXED_RANGE (10.1.0.0/24),
# NEUTRON_OVS_BRIDGE (br-int), NOVA_ENABLE_HORIZON (True), HORIZON_PORT
# (8080), NOVA_NOVNC_ENABLED (True), NOVA_NOVNC_PORT (6080),
# NOVA_PLACEMENT_PORT (8778), NOVA_RABBIT_CLUSTER (0; 3 runs a RabbitMQ
# cluster of three nodes of the deployment's own, devstack/rabbitmq.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/placement.sh"
source "$(dirname "${BASH_SOURCE[0]}")/keystone.sh"
source "$(dirname "${BASH_SOURCE[0]}")/glance.sh"
source "$(dirname "${BASH_SOURCE[0]}")/libvirt.sh"
source "$(dirname "${BASH_SOURCE[0]}")/neutron.sh"
source "$(dirname "${BASH_SOURCE[0]}")/horizon.sh"
source "$(dirname "${BASH_SOURCE[0]}")/novnc.sh"

# Before anything is made: libvirt_stack already names veths after the
# bridge.
flat_check
neutron_check
ensure_rabbitmq
ensure_venv
novnc_install
placement_ensure_script
# Settles NOVA_VIRT_DRIVER (libvirt or fake) before the config is written.
libvirt_stack
write_config
write_placement_config >> "$NOVA_CONF"
say "syncing the database ($NOVA_DB_CONNECTION)"
nova_manage db sync
nova_db_file_private
nova_manage flavor defaults
keystone_stack
glance_stack
neutron_stack
# Its install and static files take a minute: started now, it is up by the
# time nova's services are.
horizon_stack

rabbitmq_prepare_queues
for entry in $(all_services); do
    start_service "${entry%%:*}" "${entry#*:}"
done

wait_for 60 "nova-api at $NOVA_ENDPOINT" api_up
wait_for 60 "nova-placement-api at $NOVA_PLACEMENT_ENDPOINT" placement_up
wait_for 90 "conductor, scheduler and compute(s) to report up" services_up
novnc_start
glance_stack_finish
neutron_stack_finish
horizon_stack_finish
# A service that reported up and then failed (e.g. its first resource
# update) has had a few seconds to do so by now.
services_alive
write_clouds_yaml

if [ "$NOVA_INSTALL_CLIENT" = True ] && ! command -v openstack >/dev/null \
        && [ -x "$NOVA_VENV/bin/openstack" ] && [ -w /usr/local/bin ]; then
    ln -sf "$NOVA_VENV/bin/openstack" /usr/local/bin/openstack
fi

virt="$(nova_compute_driver)"
if [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
    virt+=" on libvirt, virt_type $NOVA_LIBVIRT_TYPE"
    [ "$NOVA_ENABLE_GLANCE" != True ] || \
        virt+=", test image $LIBVIRT_TEST_IMAGE_NAME"
elif [ -n "$NOVA_VIRT_REASON" ]; then
    virt+=" (not libvirt: $NOVA_VIRT_REASON)"
fi
network="flat, $NOVA_FIXED_RANGE"
if neutron_enabled; then
    network=$(neutron_summary)
elif [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
    network+=" on bridge $NOVA_FLAT_BRIDGE, gateway $(flat_gateway)"
    network+=" and DHCP on $NOVA_HOST"
    [ "$NOVA_FLAT_NAT" != True ] || network+=", NAT"
fi
if [ "$NOVA_AUTH_STRATEGY" = keystone ]; then
    identity="Keystone $KEYSTONE_AUTH_URL; users admin, demo, demo-reader,"
    identity+=" alt_demo (password in $CLOUDS_YAML)"
else
    identity="none (noauth2: the token is user:project)"
fi
logs="$LOGDIR/n-api.log n-cond.log n-sch.log n-cpu.log n-placement.log"
novnc_enabled && logs+=" n-novnc.log"
try_network=''
if neutron_enabled; then
    logs+=" q-svc.log ovn-controller.log"
    try_network=$'\n'"            openstack --os-cloud devstack network list"
fi
! horizon_enabled || logs+=" h-dash.log"
broker="RabbitMQ at ${NOVA_TRANSPORT_URL#*@}"
if rabbit_cluster_enabled; then
    broker="RabbitMQ cluster of $NOVA_RABBIT_CLUSTER nodes"
    broker+=" ($(rabbit_cluster_node 1) ...) on 127.0.0.1:$(rabbit_cluster_port 1)"
    broker+="-$(rabbit_cluster_port "$NOVA_RABBIT_CLUSTER"), quorum queues"
fi
cat <<DONE
[nova] the control plane is up
  API:      $NOVA_ENDPOINT
  broker:   $broker
  placement: $NOVA_PLACEMENT_ENDPOINT (read only)
  virt:     $virt; $NOVA_COMPUTES compute(s)
  network:  $network
  identity: $identity
  dashboard: $(horizon_summary)
  consoles: $(novnc_enabled && echo "noVNC at $(novnc_base_url)" || \
      echo "off (NOVA_NOVNC_ENABLED=$NOVA_NOVNC_ENABLED)")
  logs:     $logs
  try:      openstack --os-cloud devstack flavor list
            openstack --os-cloud devstack-admin compute service list$try_network
  stop:     $(dirname "${BASH_SOURCE[0]}")/unstack.sh
DONE
