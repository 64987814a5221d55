#!/usr/bin/env bash
# Stop the services stack.sh started (only those: it reads their pid files).
# RabbitMQ and the database are left running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/glance.sh"

# Every nova service with a pid file, whatever NOVA_FAKE_COMPUTES says now.
names=()
for pidfile in "$NOVA_PID_DIR"/n-*.pid; do
    [ -e "$pidfile" ] && names+=("$(basename "$pidfile" .pid)")
done
[ ${#names[@]} -eq 0 ] || stop_services "${names[@]}"
glance_stop
say "stopped"
