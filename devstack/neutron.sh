# Neutron, the Network API, with ML2/OVN, for stack.sh and unstack.sh
# (sourced after lib.sh and keystone.sh).  Only with
# NOVA_NETWORK_BACKEND=neutron (lib.sh; the default flat runs none of it).
#
# Measured on machines like the CI's (2 cores, no loadable kernel modules,
# no systemd): the Open vSwitch kernel datapath does not exist there, the
# userspace one (datapath_type=netdev) works.  So stack.sh runs, privately
# (databases, unix sockets and pid files under $NEUTRON_OVS_DIR and
# $NEUTRON_OVN_DIR, logs in $LOGDIR):
#   * ovsdb-server + ovs-vswitchd (Debian's openvswitch-switch) with the
#     integration bridge $NEUTRON_OVS_BRIDGE on the userspace datapath;
#   * OVN (Debian's ovn-central and ovn-host): the northbound and
#     southbound ovsdb-servers, ovn-northd and one ovn-controller, chassis
#     $NOVA_HOST, on that bridge;
#   * Neutron 29 from PyPI in its own virtualenv, ML2 with the OVN
#     mechanism driver, served by devstack/files/neutron-api-server.py on
#     $NEUTRON_HOST:$NEUTRON_PORT (Neutron has no server of its own any
#     more), behind Keystone, with its database of the kind
#     NOVA_DB_CONNECTION is.  No RabbitMQ: with OVN no agent uses RPC.
# Keystone gets the network service and the neutron user
# (keystone_accounts); Neutron gets the shared network
# $NEUTRON_NETWORK_NAME; nova.conf gets [network] backend = neutron and a
# [neutron] section (write_config).  Neutron tells nova when a port goes
# up or down (os-server-external-events) as the nova user.
#
# The userspace datapath makes a tap named ovs-netdev, one per network
# namespace: two ovs-vswitchd with netdev bridges cannot share one ("ovs-
# netdev: creating tap device failed: Device or resource busy").
# NEUTRON_OVS_NETNS runs this deployment's ovs-vswitchd in a network
# namespace of that name (made and deleted here), so several deployments
# can run on one machine; guests of a nova-compute outside that namespace
# cannot be plugged into its bridge then.

NEUTRON_VENV=${NEUTRON_VENV:-$STACK_DIR/neutron-venv}
NEUTRON_PIP_SPEC=${NEUTRON_PIP_SPEC:-neutron==29.*}
# Database drivers for neutron (not its dependencies).
NEUTRON_DB_PIP_SPECS=${NEUTRON_DB_PIP_SPECS:-PyMySQL psycopg2-binary}
NEUTRON_CONF_DIR=${NEUTRON_CONF_DIR:-/etc/neutron}
NEUTRON_DATA_DIR=${NEUTRON_DATA_DIR:-$STACK_DIR/data/neutron}
NEUTRON_DB_CONNECTION=${NEUTRON_DB_CONNECTION:-}
# Open vSwitch's and OVN's databases, sockets and pid files.  Unix socket
# paths must stay under 108 characters.
NEUTRON_OVS_DIR=${NEUTRON_OVS_DIR:-$NEUTRON_DATA_DIR/ovs}
NEUTRON_OVN_DIR=${NEUTRON_OVN_DIR:-$NEUTRON_DATA_DIR/ovn}
# The integration bridge: ovn-controller's, and the one Neutron names in
# a port's binding:vif_details (bridge_name), which nova plugs into.  At
# most 15 characters; deployments sharing a network namespace need one
# each.
NEUTRON_OVS_BRIDGE=${NEUTRON_OVS_BRIDGE:-br-int}
# A network namespace for ovs-vswitchd (see above); empty: the machine's.
NEUTRON_OVS_NETNS=${NEUTRON_OVS_NETNS:-}
# The shared network every project's servers can use, and its subnet.
NEUTRON_NETWORK_NAME=${NEUTRON_NETWORK_NAME:-private}
NEUTRON_FIXED_RANGE=${NEUTRON_FIXED_RANGE:-10.1.0.0/24}
# Seconds the API may take to load (about 4 s on an idle machine, 20 s on
# a busy one).
NEUTRON_START_TIMEOUT=${NEUTRON_START_TIMEOUT:-180}

neutron_enabled() { [ "$NOVA_NETWORK_BACKEND" = neutron ]; }

# stack.sh, before anything is made: the settings make sense.
neutron_check() {
    case "$NOVA_NETWORK_BACKEND" in
        flat) return 0 ;;
        neutron) ;;
        *) die "NOVA_NETWORK_BACKEND must be flat or neutron, not" \
            "$NOVA_NETWORK_BACKEND" ;;
    esac
    # Neutron's policies and nova's calls to it need Keystone's tokens.
    [ "$NOVA_AUTH_STRATEGY" = keystone ] || die \
        "NOVA_NETWORK_BACKEND=neutron needs NOVA_AUTH_STRATEGY=keystone"
    # ML2/OVN binds a port only to a host with a live chassis, and the one
    # ovn-controller here is $NOVA_HOST's: a server scheduled to an extra
    # compute would fail (binding_failed).
    [ "$NOVA_COMPUTES" -eq 1 ] || die "NOVA_NETWORK_BACKEND=neutron runs" \
        "one OVN chassis, $NOVA_HOST's: set NOVA_COMPUTES=1"
    neutron_check_netns
    case "$NEUTRON_OVS_BRIDGE" in
        ''|*[!A-Za-z0-9_.-]*)
            die "NEUTRON_OVS_BRIDGE='$NEUTRON_OVS_BRIDGE' is not a usable" \
                "interface name (letters, digits, _ . -)" ;;
    esac
    [ ${#NEUTRON_OVS_BRIDGE} -le 15 ] || die \
        "NEUTRON_OVS_BRIDGE=$NEUTRON_OVS_BRIDGE is longer than 15 characters"
    [ "$NEUTRON_OVS_BRIDGE" != ovs-netdev ] || \
        die "NEUTRON_OVS_BRIDGE may not be ovs-netdev: the datapath's own"
    local sock
    for sock in "$NEUTRON_OVS_DIR/db.sock" \
            "$NEUTRON_OVS_DIR/$NEUTRON_OVS_BRIDGE.snoop" \
            "$NEUTRON_OVN_DIR/ovnsb_db.sock"; do
        [ ${#sock} -lt 108 ] || die "the socket $sock is too long a path" \
            "for a unix socket: set NEUTRON_OVS_DIR and NEUTRON_OVN_DIR"
    done
    python3 - "$NEUTRON_FIXED_RANGE" <<'PY'
import ipaddress, sys
try:
    net = ipaddress.IPv4Network(sys.argv[1])
except ValueError as e:
    sys.exit('[nova] ERROR: NEUTRON_FIXED_RANGE=%s is not an IPv4 range: %s'
             % (sys.argv[1], e))
if net.prefixlen > 29:
    sys.exit('[nova] ERROR: NEUTRON_FIXED_RANGE=%s is too small' % net)
PY
}

# QEMU opens the tap nova-compute plugged by its name, in libvirtd's
# network namespace, which is the machine's.
neutron_check_netns() {
    [ "$NOVA_VIRT_DRIVER" != libvirt ] || [ -z "$NEUTRON_OVS_NETNS" ] || \
        die "NEUTRON_OVS_NETNS=$NEUTRON_OVS_NETNS: the libvirt driver's" \
            "guests could not reach an Open vSwitch in another network" \
            "namespace; leave it empty"
}

# What nova.conf's [network] backend says: neutron when this nova has that
# backend, else flat, with a warning: Neutron then runs beside a nova that
# does not use it.  (write_config.)
neutron_nova_backend() {
    if "$NOVA_VENV/bin/python" - 2>/dev/null <<'PY'
from oslo_config import cfg
import nova.conf

conf = cfg.ConfigOpts()
nova.conf.register_opts(conf)
conf([], default_config_files=[])
conf.set_override('backend', 'neutron', group='network')  # ValueError?
PY
    then
        echo neutron
    else
        say "WARNING: this nova has no neutron network backend: nova.conf" \
            "keeps [network] backend = flat (Neutron runs all the same)" >&2
        echo flat
    fi
}

# nova.conf's [network] lines (in that section: lib.sh's write_config
# writes them there).
write_neutron_nova_network_config() {
    cat <<CONF
backend = $NEUTRON_NOVA_BACKEND
# This deployment's own Open vSwitch, where the libvirt driver plugs the
# taps of Neutron's ovs ports.
ovsdb_connection = unix:$NEUTRON_OVS_DIR/db.sock
CONF
}

# nova.conf's [neutron] section (write_config appends it): nova calls
# Neutron as its service user, finding it in Keystone's catalog.
write_neutron_nova_config() {
    cat <<CONF

[neutron]
$(keystone_service_auth nova)
region_name = $REGION_NAME
# The bridge to plug into when a port's binding:vif_details names none.
ovs_bridge = $NEUTRON_OVS_BRIDGE
CONF
    [ "$NOVA_VIRT_DRIVER" != libvirt ] || return 0
    cat <<CONF

[DEFAULT]
# The fake driver plugs no tap into Open vSwitch: no port of its goes up,
# no network-vif-plugged comes.  Do not wait for it.
vif_plugging_timeout = 0
CONF
}

neutron_install() {
    local missing=() cmd
    for cmd in ovsdb-server ovs-vswitchd ovn-northd ovn-controller; do
        command -v "$cmd" >/dev/null || missing+=("$cmd")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        # Debian's init scripts would start the machine's own Open vSwitch
        # and OVN too (where policy-rc.d allows it); these run beside them.
        say "installing Open vSwitch and OVN from the distribution" \
            "(${missing[*]} missing)"
        apt_install openvswitch-switch ovn-central ovn-host
    fi
    # shellcheck disable=SC2086
    ensure_service_venv neutron "$NEUTRON_VENV" "$LOGDIR/q-install.log" \
        neutron neutron-db-manage "$NEUTRON_PIP_SPEC" $NEUTRON_DB_PIP_SPECS
}

# Where the Open vSwitch and OVN tools find this deployment's daemons when
# not told (the bridges' OpenFlow sockets, ovn-controller's control
# socket).
neutron_ovs_env() {
    export OVS_RUNDIR=$NEUTRON_OVS_DIR OVS_DBDIR=$NEUTRON_OVS_DIR \
        OVS_LOGDIR=$LOGDIR OVN_RUNDIR=$NEUTRON_OVN_DIR \
        OVN_DBDIR=$NEUTRON_OVN_DIR OVN_LOGDIR=$LOGDIR
}

neutron_vsctl() {
    as_root ovs-vsctl --db="unix:$NEUTRON_OVS_DIR/db.sock" --timeout=30 "$@"
}

neutron_sbctl() {
    as_root ovn-sbctl --db="unix:$NEUTRON_OVN_DIR/ovnsb_db.sock" \
        --timeout=30 "$@"
}

# The network namespace ovs-vswitchd runs in (recorded at start, so that
# unstack.sh finds it whatever NEUTRON_OVS_NETNS says then).
_neutron_netns() { cat "$NEUTRON_OVS_DIR/netns" 2>/dev/null || true; }

_neutron_in_netns() {  # COMMAND... in ovs-vswitchd's network namespace
    local ns
    ns=$(_neutron_netns)
    if [ -n "$ns" ]; then
        as_root ip netns exec "$ns" "$@"
    else
        as_root "$@"
    fi
}

# The pid in PIDFILE when it is a running NAME (the daemons remove their
# pid files as they exit; a stale one may name another process now).
_neutron_daemon_pid() {  # NAME PIDFILE
    local pid
    pid=$(cat "$2" 2>/dev/null) || return 1
    [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] || \
        return 1
    echo "$pid"
}

# Start an Open vSwitch or OVN daemon, detached (it returns once the
# daemon is ready), unless it runs.
_neutron_daemon() {  # NAME PIDFILE LOG COMMAND [ARG...]
    local name=$1 pidfile=$2 log=$3 pid
    shift 3
    if pid=$(_neutron_daemon_pid "$name" "$pidfile"); then
        say "$name is already running (pid $pid)"
        return 0
    fi
    "$@" --pidfile="$pidfile" --log-file="$LOGDIR/$log" --detach \
        >>"$LOGDIR/$log" 2>&1 || die "$name did not start; see $LOGDIR/$log"
    say "started $name (pid $(cat "$pidfile")), log $LOGDIR/$log"
}

# Whether PID runs: a zombie has exited (the daemons are the init
# process's children, which may take seconds to reap them).
_neutron_running() {
    [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' \
        "/proc/$1/status" 2>/dev/null
}

_neutron_stop_daemon() {  # NAME PIDFILE
    local pid i
    pid=$(_neutron_daemon_pid "$1" "$2") || { rm -f "$2"; return 0; }
    as_root kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        _neutron_running "$pid" || break
        sleep 0.25
    done
    if _neutron_running "$pid"; then
        as_root kill -KILL "$pid" 2>/dev/null || true
        say "killed $1 (pid $pid): it did not stop in 10s"
    else
        say "stopped $1 (pid $pid)"
    fi
    rm -f "$2"
}

_neutron_bridge_made() {  # its local port is OpenFlow port 65534
    local i
    for ((i = 0; i < 10; i++)); do
        [ "$(neutron_vsctl get Interface "$NEUTRON_OVS_BRIDGE" ofport \
            2>/dev/null)" != 65534 ] || return 0
        sleep 0.5
    done
    return 1
}

_neutron_chassis_up() {
    neutron_sbctl --bare --columns=name find Chassis_Private \
        "name=$NOVA_HOST" 2>/dev/null | grep -qx "$NOVA_HOST"
}

# Open vSwitch with the integration bridge, then OVN, as above.
neutron_ovs_start() {
    local ovs=$NEUTRON_OVS_DIR ovn=$NEUTRON_OVN_DIR started=$SECONDS db
    local vswitchd_log="$LOGDIR/ovs-vswitchd.log" logged
    mkdir -p "$ovs" "$ovn" "$LOGDIR"
    neutron_ovs_env
    if [ -n "$NEUTRON_OVS_NETNS" ]; then
        if ! ip netns list | awk '{print $1}' | \
                grep -qx -- "$NEUTRON_OVS_NETNS"; then
            as_root ip netns add "$NEUTRON_OVS_NETNS" || \
                die "could not make the network namespace $NEUTRON_OVS_NETNS"
        fi
        as_root ip netns exec "$NEUTRON_OVS_NETNS" ip link set lo up
    fi
    if _neutron_daemon_pid ovs-vswitchd "$ovs/ovs-vswitchd.pid" \
            >/dev/null && [ "$(_neutron_netns)" != "$NEUTRON_OVS_NETNS" ]; then
        die "ovs-vswitchd runs in the network namespace" \
            "'$(_neutron_netns)', not '$NEUTRON_OVS_NETNS': run unstack.sh"
    fi
    echo "$NEUTRON_OVS_NETNS" > "$ovs/netns"

    [ -e "$ovs/conf.db" ] || as_root ovsdb-tool create "$ovs/conf.db" \
        /usr/share/openvswitch/vswitch.ovsschema
    _neutron_daemon ovsdb-server "$ovs/ovsdb-server.pid" ovsdb-server.log \
        as_root ovsdb-server "$ovs/conf.db" --remote="punix:$ovs/db.sock" \
        --unixctl="$ovs/ovsdb-server.ctl"
    neutron_vsctl --no-wait init
    logged=$(stat -c %s "$vswitchd_log" 2>/dev/null || echo 0)
    _neutron_daemon ovs-vswitchd "$ovs/ovs-vswitchd.pid" ovs-vswitchd.log \
        _neutron_in_netns ovs-vswitchd "unix:$ovs/db.sock" \
        --unixctl="$ovs/ovs-vswitchd.ctl" -vconsole:off
    # fail-mode=secure: no normal switching until ovn-controller's flows
    # are in; no in-band control on a bridge nothing outside reaches.
    neutron_vsctl --may-exist add-br "$NEUTRON_OVS_BRIDGE" -- set Bridge \
        "$NEUTRON_OVS_BRIDGE" datapath_type=netdev fail-mode=secure \
        other-config:disable-in-band=true >>"$vswitchd_log" 2>&1 \
        || die "could not add the bridge $NEUTRON_OVS_BRIDGE; see" \
            "$vswitchd_log"
    # ovs-vsctl succeeds even when ovs-vswitchd could not make the bridge:
    # its local port has an OpenFlow port number only when it could.
    if ! _neutron_bridge_made; then
        if tail -c "+$((logged + 1))" "$vswitchd_log" | grep -q \
                'ovs-netdev: creating tap device failed: Device or'; then
            die "another ovs-vswitchd with the userspace datapath runs in" \
                "this network namespace (it holds the ovs-netdev tap):" \
                "set NEUTRON_OVS_NETNS to run this one in a namespace of" \
                "its own"
        fi
        die "ovs-vswitchd did not make the bridge $NEUTRON_OVS_BRIDGE; see" \
            "$vswitchd_log"
    fi

    for db in nb sb; do
        [ -e "$ovn/ovn${db}_db.db" ] || as_root ovsdb-tool create \
            "$ovn/ovn${db}_db.db" "/usr/share/ovn/ovn-$db.ovsschema"
        _neutron_daemon "ovsdb-server" "$ovn/ovsdb-server-$db.pid" \
            "ovn-$db.log" as_root ovsdb-server "$ovn/ovn${db}_db.db" \
            --remote="punix:$ovn/ovn${db}_db.sock" \
            --unixctl="$ovn/ovsdb-server-$db.ctl"
    done
    # The northbound's NB_Global row; ovn-northd fills the southbound.
    as_root ovn-nbctl --db="unix:$ovn/ovnnb_db.sock" --no-wait init
    _neutron_daemon ovn-northd "$ovn/ovn-northd.pid" ovn-northd.log \
        as_root ovn-northd --ovnnb-db="unix:$ovn/ovnnb_db.sock" \
        --ovnsb-db="unix:$ovn/ovnsb_db.sock" --unixctl="$ovn/ovn-northd.ctl"
    # The chassis: Neutron binds a port of host H to the chassis whose
    # hostname is H, and puts the chassis's datapath type in the port's
    # vif_details.  A single chassis also hosts router gateways.
    neutron_vsctl set Open_vSwitch . \
        "external_ids:system-id=$NOVA_HOST" \
        "external_ids:hostname=$NOVA_HOST" \
        "external_ids:ovn-remote=unix:$ovn/ovnsb_db.sock" \
        external_ids:ovn-encap-type=geneve \
        external_ids:ovn-encap-ip=127.0.0.1 \
        "external_ids:ovn-bridge=$NEUTRON_OVS_BRIDGE" \
        external_ids:ovn-bridge-datapath-type=netdev \
        external_ids:ovn-cms-options=enable-chassis-as-gw
    # OVN 23.03's ovn-controller has no --unixctl: its control socket is
    # $OVN_RUNDIR/ovn-controller.<pid>.ctl.
    _neutron_daemon ovn-controller "$ovn/ovn-controller.pid" \
        ovn-controller.log as_root ovn-controller "unix:$ovs/db.sock"
    wait_for 60 "ovn-controller to register the chassis $NOVA_HOST" \
        _neutron_chassis_up
    # Neutron names the bridge of a port's vif_details after this key,
    # which the OVN metadata agent would write (none runs here); without
    # it Neutron says br-int, whatever the chassis's bridge is.
    neutron_sbctl set Chassis_Private "$NOVA_HOST" \
        "external_ids:\"neutron:ovn-bridge\"=$NEUTRON_OVS_BRIDGE"
    local where=''
    [ -z "$NEUTRON_OVS_NETNS" ] || \
        where=", in the network namespace $NEUTRON_OVS_NETNS"
    say "Open vSwitch and OVN are up in $((SECONDS - started))s (bridge" \
        "$NEUTRON_OVS_BRIDGE, userspace datapath$where)"
}

# Neutron's database URL: NEUTRON_DB_CONNECTION, else SQLite when nova's is
# SQLite, else a database named after nova's on the same server (nova ->
# neutron, <name> -> <name>_neutron), as Keystone's and Glance's.
neutron_db_url() {
    service_db_url neutron "$NEUTRON_DATA_DIR" "$NEUTRON_DB_CONNECTION"
}

neutron_configure() {
    local db_url=$1 conf="$NEUTRON_CONF_DIR/neutron.conf"
    local paste="$NEUTRON_VENV/etc/neutron/api-paste.ini"
    [ -f "$paste" ] || die "$paste is missing: is $NEUTRON_VENV a Neutron venv?"
    mkdir -p "$NEUTRON_CONF_DIR/plugins/ml2" "$NEUTRON_DATA_DIR/state" \
        "$NEUTRON_DATA_DIR/locks" "$LOGDIR" "$NOVA_PID_DIR"
    # It holds the database URL and two passwords: its owner's only.
    ( umask 077; cat > "$conf" ) <<CONF
# Written by devstack/stack.sh; rewritten on every run.
[DEFAULT]
debug = $NOVA_DEBUG
log_file = $LOGDIR/q-svc.log
use_stderr = False
host = $NOVA_HOST
state_path = $NEUTRON_DATA_DIR/state
# Neutron does not find its api-paste.ini by itself ("ConfigNotFound").
api_paste_config = $paste
core_plugin = ml2
service_plugins = ovn-router
auth_strategy = keystone
# With OVN no agent talks RPC: oslo.messaging's in-process driver, no
# RabbitMQ.
transport_url = fake:/
rpc_workers = 0
rpc_state_report_workers = 0
# Ports going up or down reach nova as os-server-external-events
# (network-vif-plugged, ...): what nova waits for before a guest runs.
notify_nova_on_port_status_changes = True
notify_nova_on_port_data_changes = True

[database]
connection = $db_url

[oslo_concurrency]
lock_path = $NEUTRON_DATA_DIR/locks

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_AUTH_URL
service_token_roles_required = true
service_type = network
$(keystone_service_auth neutron)
region_name = $REGION_NAME

[nova]
# The user Neutron calls nova as (os-server-external-events: admin).
$(keystone_service_auth nova)
region_name = $REGION_NAME
endpoint_type = public
CONF
    cat > "$NEUTRON_CONF_DIR/plugins/ml2/ml2_conf.ini" <<CONF
# Written by devstack/stack.sh; rewritten on every run.
[ml2]
mechanism_drivers = ovn
type_drivers = geneve,flat
project_network_types = geneve
extension_drivers = port_security
overlay_ip_version = 4

[ml2_type_geneve]
vni_ranges = 1:65536
max_header_size = 38

[ml2_type_flat]
flat_networks = *

[securitygroup]
enable_security_group = True

[ovn]
ovn_nb_connection = unix:$NEUTRON_OVN_DIR/ovnnb_db.sock
ovn_sb_connection = unix:$NEUTRON_OVN_DIR/ovnsb_db.sock
# No metadata agent runs.
ovn_metadata_enabled = False

[ovs]
# ovn-controller's bridge, for what reads Neutron's own option (a port's
# vif_details.bridge_name comes from the chassis: neutron_ovs_start).
integration_bridge = $NEUTRON_OVS_BRIDGE
CONF
}

neutron_db_manage() {
    "$NEUTRON_VENV/bin/neutron-db-manage" \
        --config-file "$NEUTRON_CONF_DIR/neutron.conf" \
        --config-file "$NEUTRON_CONF_DIR/plugins/ml2/ml2_conf.ini" \
        "$@" >>"$LOGDIR/q-db-manage.log" 2>&1 || \
        die "neutron-db-manage $* failed; see $LOGDIR/q-db-manage.log"
}

neutron_db_sync() {
    local url=$1 started=$SECONDS made
    say "syncing Neutron's database ($url)"
    case "$url" in
        mysql*) neutron_db_manage upgrade heads ;;
        *)
            # Neutron's migrations are MySQL's: on SQLite they alter
            # constraints ("No support for ALTER of constraints in SQLite
            # dialect"), on PostgreSQL one (2025.2's tag_case_sensitive)
            # runs "ALTER TABLE tags CONVERT TO CHARACTER SET utf8mb4".  A
            # new database there gets its tables from Neutron's models (as
            # Neutron's unit tests make theirs) and is stamped at the heads.
            made=$("$NEUTRON_VENV/bin/python" - "$url" \
                    2>>"$LOGDIR/q-db-manage.log" <<'PY'
import sys
import sqlalchemy as sa

engine = sa.create_engine(sys.argv[1])
if sa.inspect(engine).has_table('alembic_version'):
    print('no')
else:
    from neutron.db.migration.models import head
    head.get_metadata().create_all(engine)
    print('yes')
PY
            ) || die "could not make Neutron's tables in $url; see" \
                "$LOGDIR/q-db-manage.log"
            if [ "$made" = yes ]; then
                neutron_db_manage stamp heads
            else
                neutron_db_manage upgrade heads
            fi ;;
    esac
    say "synced Neutron's database in $((SECONDS - started))s"
}

neutron_api_start() {
    local pidfile="$NOVA_PID_DIR/q-svc.pid"
    if pid_alive "$pidfile"; then
        say "neutron-api is already running (pid $(cat "$pidfile"))"
        return 0
    fi
    if port_open "$NEUTRON_HOST" "$NEUTRON_PORT"; then
        die "$NEUTRON_HOST:$NEUTRON_PORT is taken by a process stack.sh" \
            "did not start; set NEUTRON_PORT"
    fi
    OS_NEUTRON_CONFIG_DIR="$NEUTRON_CONF_DIR" \
        OS_NEUTRON_CONFIG_FILES="neutron.conf;plugins/ml2/ml2_conf.ini" \
        nohup "$NEUTRON_VENV/bin/python" \
        "$NOVA_DIR/devstack/files/neutron-api-server.py" \
        "$NEUTRON_HOST" "$NEUTRON_PORT" >>"$LOGDIR/q-svc.out" 2>&1 &
    echo $! > "$pidfile"
    NEUTRON_API_STARTED=$SECONDS
    say "started neutron-api (pid $!), log $LOGDIR/q-svc.log"
}

neutron_api_up() {
    "$NOVA_VENV/bin/python" - "$NEUTRON_ENDPOINT" <<'PY'
import sys, urllib.request
try:  # the versions document: no token needed
    urllib.request.urlopen(sys.argv[1] + '/', timeout=2)
except Exception:
    sys.exit(1)
PY
}

neutron_api_wait() {
    local i pid
    pid=$(cat "$NOVA_PID_DIR/q-svc.pid")
    for ((i = 0; i < NEUTRON_START_TIMEOUT * 2; i++)); do
        # kill -0, not pid_alive: just started, it may not have exec'd yet.
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$LOGDIR/q-svc.out" >&2 || true
            die "neutron-api exited; see $LOGDIR/q-svc.out and q-svc.log"
        fi
        if neutron_api_up; then
            [ -z "${NEUTRON_API_STARTED:-}" ] || say "neutron-api answered" \
                "$((SECONDS - NEUTRON_API_STARTED))s after it started"
            return 0
        fi
        sleep 0.5
    done
    die "timed out after ${NEUTRON_START_TIMEOUT}s waiting for neutron-api" \
        "at $NEUTRON_ENDPOINT"
}

# The shared network and its subnet, as the admin, through the catalog's
# network endpoint, and the default security groups' rules; made when
# missing (devstack/files/neutron_network.py).
neutron_create_network() {
    KEYSTONE_PASSWORD=$ADMIN_PASSWORD "$NOVA_VENV/bin/python" \
        "$NOVA_DIR/devstack/files/neutron_network.py" "$KEYSTONE_AUTH_URL" \
        "$REGION_NAME" "$NEUTRON_NETWORK_NAME" "$NEUTRON_FIXED_RANGE"
}

# stack.sh, before nova's services: install, start Open vSwitch and OVN,
# configure Neutron, sync its database and start its API (it loads while
# nova's services start).
neutron_stack() {
    neutron_enabled || return 0
    # Again now that libvirt_stack settled NOVA_VIRT_DRIVER=auto.
    neutron_check_netns
    neutron_install
    neutron_ovs_start
    local db_url
    db_url=$(neutron_db_url)
    neutron_configure "$db_url"
    if pid_alive "$NOVA_PID_DIR/q-svc.pid"; then
        say "neutron-api is already running (pid" \
            "$(cat "$NOVA_PID_DIR/q-svc.pid")): not syncing its database"
        return 0
    fi
    keystone_create_database "$db_url" || \
        die "could not create Neutron's database ($db_url)"
    neutron_db_sync "$db_url"
    neutron_api_start
}

# stack.sh, after nova's services: wait for the API, make the network.
neutron_stack_finish() {
    neutron_enabled || return 0
    neutron_api_wait
    neutron_create_network
    say "Neutron is up at $NEUTRON_ENDPOINT"
}

# The summary's network line.
neutron_summary() {
    local line="neutron (ML2/OVN) at $NEUTRON_ENDPOINT; shared network"
    line+=" $NEUTRON_NETWORK_NAME, $NEUTRON_FIXED_RANGE; bridge"
    line+=" $NEUTRON_OVS_BRIDGE (userspace datapath"
    line+="${NEUTRON_OVS_NETNS:+, namespace $NEUTRON_OVS_NETNS}), chassis"
    line+=" $NOVA_HOST"
    [ "${NEUTRON_NOVA_BACKEND:-neutron}" = neutron ] || \
        line+="; nova itself still uses its flat network (it has no neutron backend)"
    echo "$line"
}

# unstack.sh, whatever NOVA_NETWORK_BACKEND says now: stop what stack.sh
# started (pid files), the API first, ovs-vswitchd with its datapath, and
# remove the taps it leaves.  The databases stay for the next stack.sh.
neutron_unstack() {
    [ -e "$NOVA_PID_DIR/q-svc.pid" ] && stop_services q-svc
    local ovs=$NEUTRON_OVS_DIR ovn=$NEUTRON_OVN_DIR ns links='' pid i link
    [ -e "$ovs/netns" ] || return 0
    neutron_ovs_env
    ns=$(_neutron_netns)
    _neutron_stop_daemon ovn-controller "$ovn/ovn-controller.pid"
    _neutron_stop_daemon ovn-northd "$ovn/ovn-northd.pid"
    _neutron_stop_daemon ovsdb-server "$ovn/ovsdb-server-nb.pid"
    _neutron_stop_daemon ovsdb-server "$ovn/ovsdb-server-sb.pid"
    # The taps ovs-vswitchd made (bridges' own ports, internal ports), in
    # case it has to be killed: then they stay behind.
    if _neutron_daemon_pid ovsdb-server "$ovs/ovsdb-server.pid" >/dev/null
    then
        links=$(neutron_vsctl --timeout=5 --bare --columns=name find \
            Interface type=internal 2>/dev/null) || links=''
        # And the taps nova-compute plugged for guests it did not unplug.
        links+=" $(neutron_vsctl --timeout=5 list-ports \
            "$NEUTRON_OVS_BRIDGE" 2>/dev/null | grep '^tap')" || true
    fi
    if pid=$(_neutron_daemon_pid ovs-vswitchd "$ovs/ovs-vswitchd.pid"); then
        # --cleanup: it deletes its datapath, and with it the taps of the
        # userspace datapath (ovs-netdev, the bridges'), which a plain
        # TERM leaves behind.
        as_root ovs-appctl -t "$ovs/ovs-vswitchd.ctl" exit --cleanup \
            >/dev/null 2>&1 || true
        for ((i = 0; i < 20; i++)); do
            _neutron_running "$pid" || break
            sleep 0.25
        done
        if _neutron_running "$pid"; then
            _neutron_stop_daemon ovs-vswitchd "$ovs/ovs-vswitchd.pid"
        else
            say "stopped ovs-vswitchd (pid $pid)"
        fi
    fi
    rm -f "$ovs/ovs-vswitchd.pid"  # a killed one's
    _neutron_stop_daemon ovsdb-server "$ovs/ovsdb-server.pid"
    if [ -n "$ns" ]; then
        # Everything of the userspace datapath was in there.
        as_root ip netns del "$ns" 2>/dev/null || true
        say "removed the network namespace $ns"
    else
        for link in $links; do
            as_root ip link del "$link" 2>/dev/null && \
                say "removed the tap $link ovs-vswitchd left"
        done
        # One ovs-netdev serves every userspace datapath of the namespace:
        # only when no ovs-vswitchd of this namespace runs any more.
        if ip link show ovs-netdev >/dev/null 2>&1 && \
                ! _neutron_host_vswitchd_runs; then
            as_root ip link del ovs-netdev 2>/dev/null && \
                say "removed the tap ovs-netdev ovs-vswitchd left"
        fi
    fi
    rm -f "$ovs/netns"
}

_neutron_host_vswitchd_runs() {  # one in this network namespace
    local pid mine
    mine=$(readlink /proc/self/ns/net)
    for pid in $(pgrep -x ovs-vswitchd); do
        _neutron_running "$pid" && [ "$(as_root readlink \
            "/proc/$pid/ns/net" 2>/dev/null)" = "$mine" ] && return 0
    done
    return 1
}
