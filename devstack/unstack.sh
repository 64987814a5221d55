#!/usr/bin/env bash
# Stop the services stack.sh started (only those: it reads their pid files),
# remove nova's libvirt domains and stop the extra computes' libvirtds.
# RabbitMQ, the database and the main libvirtd are left running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/keystone.sh"
source "$(dirname "${BASH_SOURCE[0]}")/glance.sh"
source "$(dirname "${BASH_SOURCE[0]}")/libvirt.sh"

# Every nova service with a pid file, whatever NOVA_COMPUTES says now.
names=()
for pidfile in "$NOVA_PID_DIR"/n-*.pid; do
    [ -e "$pidfile" ] && names+=("$(basename "$pidfile" .pid)")
done
[ ${#names[@]} -eq 0 ] || stop_services "${names[@]}"
# After nova-compute: it would otherwise see its guests vanish.
libvirt_unstack
glance_stop
keystone_stop
say "stopped"
