#!/usr/bin/env bash
# Stop the services stack.sh started (only those: it reads their pid files).
# RabbitMQ and the database are left running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/glance.sh"

names=()
for entry in $NOVA_SERVICES; do
    names+=("${entry%%:*}")
done
stop_services "${names[@]}"
glance_stop
say "stopped"
