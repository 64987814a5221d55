#!/usr/bin/env bash
# Upstream DevStack plugin: `enable_plugin nova-lite <repo>` (see settings).
# DevStack calls this with a mode (stack, unstack, clean) and a phase.

function nova_lite_configure {
    # Reuse stack.sh's config writer with DevStack's own values.
    local NOVA_DIR=$NOVA_LITE_DIR
    STACK_DIR=$DEST LOGDIR=${LOGDIR:-$DEST/logs}
    NOVA_VENV=${DEVSTACK_VENV:-/usr/local}
    NOVA_HOST=$(hostname)
    NOVA_API_HOST=$SERVICE_HOST
    NOVA_TRANSPORT_URL=$(get_transport_url)
    NOVA_DB_CONNECTION=${NOVA_DB_CONNECTION:-$(database_connection_url nova_lite)}
    # DevStack's own Keystone and Glance.
    NOVA_AUTH_STRATEGY=keystone
    KEYSTONE_AUTH_URL=$KEYSTONE_SERVICE_URI/v3
    GLANCE_ENDPOINT=${GLANCE_URL:-$GLANCE_SERVICE_PROTOCOL://$GLANCE_SERVICE_HOST:$GLANCE_SERVICE_PORT}
    source "$NOVA_LITE_DIR/devstack/lib.sh"
    source "$NOVA_LITE_DIR/devstack/keystone.sh"
    source "$NOVA_LITE_DIR/devstack/novnc.sh"
    write_config
}

function nova_lite_create_accounts {
    # The service user nova-api validates tokens as, and the catalog entry.
    create_service_user "nova" "admin"
    # Glance and Cinder accept nova's service token only with this role.
    get_or_add_user_project_role service nova "$SERVICE_PROJECT_NAME"
    local service
    service=$(get_or_create_service "nova" "compute" "Compute Service")
    get_or_create_endpoint "$service" "$REGION_NAME" \
        "http://$SERVICE_HOST:${NOVA_API_PORT:-8774}/v2.1"
}

function nova_lite_start {
    local conf="--config-file $NOVA_CONF"
    run_process nl-cond "$NOVA_BIN_DIR/nova-conductor $conf --config-file $NOVA_DB_CONF"
    run_process nl-sch "$NOVA_BIN_DIR/nova-scheduler $conf"
    run_process nl-cpu "$NOVA_BIN_DIR/nova-compute $conf"
    run_process nl-api "$NOVA_BIN_DIR/nova-api $conf"
    run_process nl-novnc "$NOVA_BIN_DIR/nova-novncproxy $conf"
}

if [[ "$1" == "stack" && "$2" == "install" ]]; then
    setup_develop "$NOVA_LITE_DIR"
elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
    recreate_database nova_lite
    nova_lite_create_accounts
    nova_lite_configure
    NOVA_BIN_DIR=$(get_python_exec_prefix)
    "$NOVA_BIN_DIR/nova-manage" --config-file "$NOVA_CONF" \
        --config-file "$NOVA_DB_CONF" db sync
    "$NOVA_BIN_DIR/nova-manage" --config-file "$NOVA_CONF" \
        --config-file "$NOVA_DB_CONF" flavor defaults
elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
    NOVA_BIN_DIR=$(get_python_exec_prefix)
    nova_lite_start
elif [[ "$1" == "unstack" ]]; then
    for svc in nl-novnc nl-api nl-cpu nl-sch nl-cond; do
        stop_process "$svc"
    done
fi
