# nova-placement-api, the Placement-compatible read API (nova/api/placement:
# the compute nodes as resource providers, for Horizon's Admin >
# Hypervisors and osc-placement), for stack.sh (sourced after lib.sh and
# before keystone.sh, which registers it as `placement` in the catalog).
# Its process is one of all_services: short name n-placement, log
# n-placement.log; unstack.sh stops it with the others.
#
# Settings (environment): NOVA_PLACEMENT_PORT (8778, upstream Placement's).

NOVA_PLACEMENT_PORT=${NOVA_PLACEMENT_PORT:-8778}
NOVA_PLACEMENT_ENDPOINT="http://$NOVA_API_HOST:$NOVA_PLACEMENT_PORT"
NOVA_SERVICES+=" n-placement:nova-placement-api"

# nova.conf's [placement_api] (stack.sh appends it after write_config; it
# authenticates as nova-api does, with nova.conf's [keystone_authtoken]).
write_placement_config() {
    cat <<CONF

[placement_api]
listen = $NOVA_API_HOST
listen_port = $NOVA_PLACEMENT_PORT
CONF
}

# A virtualenv made before nova-placement-api existed lacks its console
# script: nova is installed again into it (the script comes with it).
placement_ensure_script() {
    [ -x "$NOVA_VENV/bin/nova-placement-api" ] && return 0
    say "installing nova again into $NOVA_VENV for nova-placement-api"
    "$NOVA_VENV/bin/pip" install -q --no-deps -e "$NOVA_DIR" || \
        die "installing nova into $NOVA_VENV failed"
}

placement_up() {
    "$NOVA_VENV/bin/python" - "$NOVA_PLACEMENT_ENDPOINT" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1] + '/', timeout=2)
except Exception:
    sys.exit(1)
PY
}
