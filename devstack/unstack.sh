#!/usr/bin/env bash
# Stop the services stack.sh started (only those: it reads their pid files).
# RabbitMQ and the database are left running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for entry in $(echo "$NOVA_SERVICES" | tr ' ' '\n' | tac); do
    stop_service "${entry%%:*}"
done
say "stopped"
