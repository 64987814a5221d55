# Shared by stack.sh, unstack.sh and plugin.sh: settings and functions.
# Every variable can be overridden from the environment.

NOVA_DIR=${NOVA_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
STACK_DIR=${STACK_DIR:-/opt/stack}
LOGDIR=${LOGDIR:-$STACK_DIR/logs}
NOVA_DATA_DIR=${NOVA_DATA_DIR:-$STACK_DIR/data/nova}
NOVA_PID_DIR=${NOVA_PID_DIR:-$NOVA_DATA_DIR/pids}
# The extra computes' private libvirtds keep their state (and sockets:
# the path must stay short, under 80 characters) here.
NOVA_LIBVIRT_HOSTS_DIR=${NOVA_LIBVIRT_HOSTS_DIR:-$NOVA_DATA_DIR/libvirt-hosts}
NOVA_VENV=${NOVA_VENV:-$STACK_DIR/venv}
NOVA_CONF_DIR=${NOVA_CONF_DIR:-/etc/nova}
NOVA_CONF=${NOVA_CONF:-$NOVA_CONF_DIR/nova.conf}
# Database credentials go in a file only conductor and nova-manage read.
NOVA_DB_CONF=${NOVA_DB_CONF:-$NOVA_CONF_DIR/nova-db.conf}
NOVA_DB_CONNECTION=${NOVA_DB_CONNECTION:-sqlite:///$NOVA_DATA_DIR/nova.sqlite}
NOVA_HOST=${NOVA_HOST:-$(hostname)}
NOVA_API_HOST=${NOVA_API_HOST:-127.0.0.1}
NOVA_API_PORT=${NOVA_API_PORT:-8774}
NOVA_TRANSPORT_URL=${NOVA_TRANSPORT_URL:-rabbit://guest:guest@127.0.0.1:5672/}
NOVA_CONTROL_EXCHANGE=${NOVA_CONTROL_EXCHANGE:-nova}
# Quorum queues (durable: a message waiting for a service survives a
# restart of the broker; nova.conf.messaging): False (the default: they
# cost a delete about a third more time here, README), True, or auto (True
# on a local RabbitMQ of 3.8 or later and a remote one, False on an older
# local one).
NOVA_RABBIT_QUORUM_QUEUES=${NOVA_RABBIT_QUORUM_QUEUES:-False}
# The virt driver of nova-compute (devstack/libvirt.sh): auto (install and
# start libvirt + QEMU, use it when it works here, else say why and use the
# fake driver), libvirt, or fake.  stack.sh replaces auto by its choice.
NOVA_VIRT_DRIVER=${NOVA_VIRT_DRIVER:-auto}
# An explicit compute_driver class overrides the one NOVA_VIRT_DRIVER picks
# (with NOVA_VIRT_DRIVER=auto, libvirt.* means libvirt, anything else fake).
NOVA_COMPUTE_DRIVER=${NOVA_COMPUTE_DRIVER:-}
# [libvirt] virt_type: auto is kvm only when /dev/kvm exists and the CPU
# has vmx or svm (a /dev/kvm without them, as PVM's, does not boot stock
# kernels), else qemu (TCG).
NOVA_LIBVIRT_TYPE=${NOVA_LIBVIRT_TYPE:-auto}
# [libvirt] shutdown_timeout: seconds a guest gets to power off on ACPI.
NOVA_LIBVIRT_SHUTDOWN_TIMEOUT=${NOVA_LIBVIRT_SHUTDOWN_TIMEOUT:-60}
# Where the tiny bootable test image (tiny-linux) is built once and kept;
# give several stack.sh runs (each with its own STACK_DIR) the same one.
NOVA_IMAGE_CACHE_DIR=${NOVA_IMAGE_CACHE_DIR:-$STACK_DIR/cache/tiny-linux}
NOVA_REPORT_INTERVAL=${NOVA_REPORT_INTERVAL:-10}
NOVA_SERVICE_DOWN_TIME=${NOVA_SERVICE_DOWN_TIME:-60}
NOVA_DEBUG=${NOVA_DEBUG:-True}
NOVA_INSTALL_CLIENT=${NOVA_INSTALL_CLIENT:-True}
CLOUDS_YAML=${CLOUDS_YAML:-/etc/openstack/clouds.yaml}
# How nova-api authenticates: keystone (stack.sh runs Keystone,
# devstack/keystone.sh, and puts nova and Glance behind it) or noauth2
# (no Keystone: the token is user:project).
NOVA_AUTH_STRATEGY=${NOVA_AUTH_STRATEGY:-keystone}
KEYSTONE_HOST=${KEYSTONE_HOST:-127.0.0.1}
KEYSTONE_PORT=${KEYSTONE_PORT:-5000}
KEYSTONE_AUTH_URL=${KEYSTONE_AUTH_URL:-http://$KEYSTONE_HOST:$KEYSTONE_PORT/v3}
REGION_NAME=${REGION_NAME:-RegionOne}
# The passwords of admin, demo, demo-reader and alt_demo (ADMIN_PASSWORD),
# and of the service users nova and glance (SERVICE_PASSWORD).
ADMIN_PASSWORD=${ADMIN_PASSWORD:-secret}
SERVICE_PASSWORD=${SERVICE_PASSWORD:-$ADMIN_PASSWORD}
SERVICE_PROJECT_NAME=${SERVICE_PROJECT_NAME:-service}
# Glance (devstack/glance.sh): NOVA_ENABLE_GLANCE=False skips it.
NOVA_ENABLE_GLANCE=${NOVA_ENABLE_GLANCE:-True}
GLANCE_HOST=${GLANCE_HOST:-127.0.0.1}
GLANCE_PORT=${GLANCE_PORT:-9292}
GLANCE_ENDPOINT=${GLANCE_ENDPOINT:-http://$GLANCE_HOST:$GLANCE_PORT}
# Where guests get their network interfaces: flat (nova's own flat network,
# below) or neutron (devstack/neutron.sh runs Neutron with ML2/OVN and
# nova.conf's [network] backend is neutron).  NOVA_NETWORK is the same
# setting, by its shorter name.
NOVA_NETWORK_BACKEND=${NOVA_NETWORK_BACKEND:-${NOVA_NETWORK:-flat}}
NEUTRON_HOST=${NEUTRON_HOST:-127.0.0.1}
NEUTRON_PORT=${NEUTRON_PORT:-9696}
NEUTRON_ENDPOINT=${NEUTRON_ENDPOINT:-http://$NEUTRON_HOST:$NEUTRON_PORT}

NOVA_ENDPOINT="http://$NOVA_API_HOST:$NOVA_API_PORT/v2.1"

# short name -> console script, in start order: the conductor first since
# the others register through it.
NOVA_SERVICES="n-cond:nova-conductor n-sch:nova-scheduler n-cpu:nova-compute n-api:nova-api"
# How many nova-compute processes run on this machine: hosts $NOVA_HOST,
# $NOVA_HOST-2 ... $NOVA_HOST-N, logs n-cpu.log, n-cpu-2.log ...  With the
# libvirt driver each extra one gets its own libvirtd in its own namespaces
# (devstack/libvirt.sh).  NOVA_FAKE_COMPUTES is the old name.
NOVA_COMPUTES=${NOVA_COMPUTES:-${NOVA_FAKE_COMPUTES:-1}}
# [DEFAULT] instance_name_template: libvirt's domain names.  Deployments
# sharing the machine's libvirtd need different ones (ids count from 1 in
# each database).
NOVA_INSTANCE_NAME_TEMPLATE=${NOVA_INSTANCE_NAME_TEMPLATE:-instance-%08x}
# The flat network guests get their fixed IPs from ([network] in nova.conf):
# the Linux bridge of every compute host (at most 12 characters: the extra
# hosts' veths are named <bridge>-N, and the kernel allows 15), its IPv4
# range (the first address is the gateway, never a guest's) and whether
# what guests send out of the range is masqueraded (True/False).  With the
# libvirt driver nova-compute on $NOVA_HOST puts the gateway on its bridge
# and runs the network's dnsmasq.  Deployments sharing the machine need a
# bridge and a range each.
NOVA_FLAT_BRIDGE=${NOVA_FLAT_BRIDGE:-br100}
NOVA_FIXED_RANGE=${NOVA_FIXED_RANGE:-10.0.0.0/24}
NOVA_FLAT_NAT=${NOVA_FLAT_NAT:-False}
# The compute hosts as separate machines (devstack/hosts.sh; libvirt driver,
# NOVA_COMPUTES >= 2): the bridge between them (at most 12 characters), its
# IPv4 range (host N, $NOVA_HOST being 1, gets its Nth address), the port
# of each host's sshd on its address, and where the keys are kept.
# Deployments sharing the machine need a bridge and a range each.
NOVA_HOSTS_BRIDGE=${NOVA_HOSTS_BRIDGE:-brhosts}
NOVA_HOSTS_RANGE=${NOVA_HOSTS_RANGE:-192.168.254.0/24}
NOVA_HOST_SSH_PORT=${NOVA_HOST_SSH_PORT:-22}
NOVA_HOST_SSH_DIR=${NOVA_HOST_SSH_DIR:-$NOVA_DATA_DIR/ssh}
# Live migration between the hosts (devstack/hosts.sh): every libvirtd's
# socket under libvirt/<nova host name>/ and the directory of QEMU's
# migration sockets, qemu/.  Short: unix socket paths end at 107 bytes.
NOVA_LIVE_MIGRATION_DIR=${NOVA_LIVE_MIGRATION_DIR:-$NOVA_LIBVIRT_HOSTS_DIR-migration}
# [DEFAULT] allow_resize_to_same_host: with one compute host a resize can
# only stay where it is, so it is on then (as DevStack does); with more,
# off (upstream's default) unless asked.  A cold migration never stays.
if [ "$NOVA_COMPUTES" -le 1 ]; then
    NOVA_ALLOW_MOVE_TO_SAME_HOST=${NOVA_ALLOW_MOVE_TO_SAME_HOST:-True}
else
    NOVA_ALLOW_MOVE_TO_SAME_HOST=${NOVA_ALLOW_MOVE_TO_SAME_HOST:-False}
fi
# Extra nova.conf lines, appended as they are (e.g. "[quota]\ninstances=-1").
NOVA_EXTRA_CONF=${NOVA_EXTRA_CONF:-}

say() { echo "[nova] $*"; }
die() { echo "[nova] ERROR: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_update() {  # once per run
    [ -z "${_NOVA_APT_UPDATED:-}" ] || return 0
    as_root apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null || \
        die "apt-get update failed"
    _NOVA_APT_UPDATED=1
}

apt_install() {
    command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
    apt_update
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 \
        install -y -q --no-install-recommends "$@" >/dev/null
}

port_open() {
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() {  # wait_for <seconds> <description> <command...>
    local timeout=$1 what=$2
    shift 2
    local i
    for ((i = 0; i < timeout * 2; i++)); do
        if "$@"; then return 0; fi
        sleep 0.5
    done
    die "timed out after ${timeout}s waiting for $what"
}

# A service's database URL (Keystone's, Glance's): OVERRIDE when set, else
# SQLite in SQLITE_DIR when nova's is SQLite, else a database named after
# nova's on the same server (nova -> NAME, <db> -> <db>_NAME).
service_db_url() {  # service_db_url NAME SQLITE_DIR [OVERRIDE]
    local name=$1 sqlite_dir=$2 override=${3:-}
    if [ -n "$override" ]; then
        echo "$override"
        return 0
    fi
    case "$NOVA_DB_CONNECTION" in
        sqlite*) echo "sqlite:///$sqlite_dir/$name.sqlite" ;;
        *) "$NOVA_VENV/bin/python" - "$NOVA_DB_CONNECTION" "$name" <<'PY'
import sys
from sqlalchemy.engine import make_url

url, service = make_url(sys.argv[1]), sys.argv[2]
name = service if url.database == 'nova' else url.database + '_' + service
url = url.set(database=name)
if url.get_backend_name() == 'mysql' and 'charset' not in url.query:
    url = url.update_query_dict({'charset': 'utf8'})
print(url.render_as_string(hide_password=False))
PY
        ;;
    esac
}

# The requirements.txt entries not installed in $NOVA_VENV (names only: a
# new dependency, not a version bump).
_venv_missing_requirements() {
    "$NOVA_VENV/bin/python" - "$NOVA_DIR/requirements.txt" <<'PY'
import importlib.metadata as metadata
import re
import sys

missing = []
for line in open(sys.argv[1]):
    line = line.split('#', 1)[0].strip()
    if line:
        name = re.split(r'[\[<>=!~; ]', line, maxsplit=1)[0]
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
print(' '.join(missing))
PY
}

ensure_venv() {
    local missing
    if [ -x "$NOVA_VENV/bin/nova-api" ] && \
            "$NOVA_VENV/bin/python" -c 'import nova' 2>/dev/null; then
        missing=$(_venv_missing_requirements)
        if [ -z "$missing" ]; then
            say "using the virtualenv $NOVA_VENV"
            return 0
        fi
        say "installing what $NOVA_VENV lacks: $missing"
        "$NOVA_VENV/bin/pip" install -q -e "$NOVA_DIR" || \
            die "installing nova's requirements into $NOVA_VENV failed"
        return 0
    fi
    if ! python3 -m venv --help >/dev/null 2>&1 || \
            ! python3 -c 'import ensurepip' 2>/dev/null; then
        apt_install python3-venv
    fi
    say "creating the virtualenv $NOVA_VENV"
    python3 -m venv "$NOVA_VENV"
    "$NOVA_VENV/bin/pip" install -q --upgrade pip >/dev/null
    say "installing nova and its requirements into $NOVA_VENV"
    "$NOVA_VENV/bin/pip" install -q -e "$NOVA_DIR" || \
        die "installing nova into $NOVA_VENV failed"
    if [ "$NOVA_INSTALL_CLIENT" = True ]; then
        say "installing python-openstackclient into $NOVA_VENV"
        "$NOVA_VENV/bin/pip" install -q python-openstackclient
    fi
}

# A service's own virtualenv (Keystone, Glance): made and filled by pip
# once; a marker records what was installed, so a change of the specs
# installs again.
ensure_service_venv() {  # NAME VENV LOG MODULE EXECUTABLE SPEC...
    # Concurrent stack.sh runs (the test suite's workers) share one
    # install: one builds it while the others wait.
    mkdir -p "$(dirname "$2")"
    (
        flock -w 1200 9 || die "could not lock $2.lock"
        _ensure_service_venv_locked "$@"
    ) 9>"$2.lock"
}

_ensure_service_venv_locked() {
    local name=$1 venv=$2 log=$3 module=$4 executable=$5
    shift 5
    local marker="$venv/.nova-$name" want="$*" wsgi=''
    # gunicorn serves Keystone and Glance; Neutron has a server of its own.
    case " $want" in *" gunicorn"*) wsgi=gunicorn ;; esac
    if [ "$(cat "$marker" 2>/dev/null)" = "$want" ] && \
            [ -x "$venv/bin/$executable" ] && \
            { [ -z "$wsgi" ] || [ -x "$venv/bin/$wsgi" ]; } && \
            "$venv/bin/python" -c "import $module${wsgi:+, $wsgi}" \
                2>/dev/null; then
        say "using the $name virtualenv $venv"
        return 0
    fi
    if ! python3 -m venv --help >/dev/null 2>&1 || \
            ! python3 -c 'import ensurepip' 2>/dev/null; then
        apt_install python3-venv
    fi
    local started=$SECONDS
    mkdir -p "$(dirname "$log")"
    say "installing $* into $venv (log $log)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install "$@" >"$log" 2>&1 || \
        die "installing $name failed; see $log"
    echo "$want" > "$marker"
    say "installed $name in $((SECONDS - started))s"
}

write_config() {
    local gateway
    flat_check
    # Not inside the here-document: a failure there would go unnoticed.
    gateway=$(flat_gateway)
    mkdir -p "$(dirname "$NOVA_CONF")" "$(dirname "$NOVA_DB_CONF")" \
        "$NOVA_DATA_DIR" "$LOGDIR" "$NOVA_PID_DIR"
    # The broker's and the service users' passwords are in it: readable by
    # the services' user alone (root here), as the database's file is.
    install -m 600 /dev/null "$NOVA_CONF"
    cat > "$NOVA_CONF" <<CONF
# Written by devstack/stack.sh; rewritten on every run.
[DEFAULT]
debug = $NOVA_DEBUG
host = $NOVA_HOST
state_path = $NOVA_DATA_DIR
instances_path = $NOVA_DATA_DIR/instances
transport_url = $NOVA_TRANSPORT_URL
control_exchange = $NOVA_CONTROL_EXCHANGE
report_interval = $NOVA_REPORT_INTERVAL
service_down_time = $NOVA_SERVICE_DOWN_TIME
compute_driver = $(nova_compute_driver)
instance_name_template = $NOVA_INSTANCE_NAME_TEMPLATE
allow_resize_to_same_host = $NOVA_ALLOW_MOVE_TO_SAME_HOST
osapi_compute_listen = $NOVA_API_HOST
osapi_compute_listen_port = $NOVA_API_PORT

[api]
auth_strategy = $NOVA_AUTH_STRATEGY

[glance]
endpoint = $GLANCE_ENDPOINT

[fake_driver]
# With Glance up, the fake driver caches images as a real driver does.
fetch_images = $NOVA_ENABLE_GLANCE
# A restarted nova-compute keeps its guests, as a real hypervisor would.
persist_guests = True

[oslo_messaging_rabbit]
# Durable quorum queues (RabbitMQ 3.8 or later; nova.conf.messaging):
# NOVA_RABBIT_QUORUM_QUEUES.
rabbit_quorum_queue = $( [ "$NOVA_RABBIT_QUORUM_QUEUES" = False ] && \
    echo false || echo true)

[network]
fixed_range_v4 = $NOVA_FIXED_RANGE
# The gateway, on the DHCP host's bridge.
reserved_addresses = $gateway
flat_bridge = $NOVA_FLAT_BRIDGE
flat_nat = $NOVA_FLAT_NAT
CONF
    if [ "$NOVA_NETWORK_BACKEND" = neutron ]; then
        # Still in [network]: neutron, when this nova has that backend.
        NEUTRON_NOVA_BACKEND=$(neutron_nova_backend)
        write_neutron_nova_network_config >> "$NOVA_CONF"
    fi
    if [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
        # The main compute serves DHCP for every host: the extra hosts'
        # bridges are joined to its bridge (devstack/libvirt.sh).
        cat >> "$NOVA_CONF" <<CONF
flat_dhcp_host = $NOVA_HOST

[libvirt]
virt_type = $(nova_libvirt_type)
connection_uri = qemu:///system
shutdown_timeout = $NOVA_LIBVIRT_SHUTDOWN_TIMEOUT
$(hosts_nova_config 1)
CONF
    fi
    if [ "$NOVA_AUTH_STRATEGY" = keystone ]; then
        write_keystone_config >> "$NOVA_CONF"
    fi
    if [ "$NOVA_NETWORK_BACKEND" = neutron ]; then
        write_neutron_nova_config >> "$NOVA_CONF"
    fi
    write_novnc_config >> "$NOVA_CONF"
    if [ -n "$NOVA_EXTRA_CONF" ]; then
        printf '\n# NOVA_EXTRA_CONF\n%b\n' "$NOVA_EXTRA_CONF" >> "$NOVA_CONF"
    fi
    # nova-compute n >= 2 reads nova.conf, then this file.
    local n conf
    for ((n = 2; n <= NOVA_COMPUTES; n++)); do
        conf="$NOVA_CONF_DIR/nova-cpu-$n.conf"
        printf '[DEFAULT]\nhost = %s-%d\n' "$NOVA_HOST" "$n" > "$conf"
        if [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
            # The same instances_path as every host: in host n's mount
            # namespace, where its nova-compute runs, it is host n's own
            # directory (devstack/hosts.sh).
            cat >> "$conf" <<CONF

[libvirt]
connection_uri = $(nova_libvirt_host_uri "$NOVA_HOST-$n")
$(hosts_nova_config "$n")
CONF
        fi
        write_novnc_extra_compute_config "$n" >> "$conf"
    done
    ( umask 077; cat > "$NOVA_DB_CONF" <<CONF
# Read only by nova-conductor and nova-manage.
[database]
connection = $NOVA_DB_CONNECTION
CONF
    )
}

# The flat network's settings (NOVA_FLAT_*, NOVA_FIXED_RANGE) make sense.
flat_check() {
    case "$NOVA_FLAT_BRIDGE" in
        ''|*[!A-Za-z0-9_.-]*)
            die "NOVA_FLAT_BRIDGE='$NOVA_FLAT_BRIDGE' is not a usable" \
                "interface name (letters, digits, _ . -)" ;;
    esac
    [ ${#NOVA_FLAT_BRIDGE} -le 12 ] || die \
        "NOVA_FLAT_BRIDGE=$NOVA_FLAT_BRIDGE is longer than 12 characters:" \
        "the extra hosts' veths ($NOVA_FLAT_BRIDGE-N) would not fit in 15"
    case "$NOVA_FLAT_NAT" in
        True|False) ;;
        *) die "NOVA_FLAT_NAT must be True or False, not $NOVA_FLAT_NAT" ;;
    esac
    flat_gateway >/dev/null
}

flat_gateway() {  # the first host address of NOVA_FIXED_RANGE
    python3 - "$NOVA_FIXED_RANGE" <<'PY'
import ipaddress, sys
try:
    # strict: 10.0.0.1/24 is an address, not a range.
    net = ipaddress.IPv4Network(sys.argv[1])
except ValueError as e:
    sys.exit('[nova] ERROR: NOVA_FIXED_RANGE=%s is not an IPv4 range: %s'
             % (sys.argv[1], e))
if net.prefixlen > 30:
    sys.exit('[nova] ERROR: NOVA_FIXED_RANGE=%s is too small for a gateway '
             'and a guest' % net)
print(next(net.hosts()))
PY
}

# A Linux bridge, up, that forwards at once (no STP, no forwarding delay: a
# new port would otherwise wait 30 s); in the network namespace of process
# PID when given.  Nothing else: nova-compute adds the gateway address.
flat_ensure_bridge() {  # flat_ensure_bridge BRIDGE [PID]
    local br=$1 in=()
    [ -z "${2:-}" ] || in=(nsenter --net="/proc/$2/ns/net")
    if ! as_root "${in[@]}" ip link show "$br" >/dev/null 2>&1; then
        # Another process (nova-compute) may win the race: fine.
        as_root "${in[@]}" ip link add "$br" type bridge 2>/dev/null || \
            as_root "${in[@]}" ip link show "$br" >/dev/null 2>&1 || \
            die "could not create the bridge $br${2:+ in the namespace of" \
                "pid $2}"
    fi
    as_root "${in[@]}" ip link set "$br" type bridge stp_state 0 \
        forward_delay 0 || die "$br${2:+ (namespace of pid $2)} exists" \
            "and is not a bridge"
    as_root "${in[@]}" ip link set "$br" up
}

# unstack.sh, once the guests and the extra hosts are gone: the flat
# network's dnsmasq (nova-compute starts it, and it outlives nova-compute on
# purpose), its NAT rule, the extra hosts' veths and the bridge.  Only for
# a deployment that ran the libvirt driver (only then does nova-compute
# serve the network): a fake one configured with the same bridge name must
# not take a libvirt deployment's network away.  What is gone already is
# fine.
flat_unstack() {
    [ "$(cat "$NOVA_DATA_DIR/virt-driver" 2>/dev/null)" = libvirt ] || \
        [ -d "$NOVA_DATA_DIR/networks/$NOVA_FLAT_BRIDGE" ] || return 0
    flat_stop_dnsmasq
    flat_remove_nat
    flat_remove_links
}

flat_stop_dnsmasq() {
    local dir="$NOVA_DATA_DIR/networks/$NOVA_FLAT_BRIDGE" pid i
    pid=$(cat "$dir/dnsmasq.pid" 2>/dev/null) || pid=''
    # The pid file outlives dnsmasq: its pid may be another process's now.
    if [ -n "$pid" ] && \
            [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dnsmasq ]; then
        as_root kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 40; i++)); do
            [ -d "/proc/$pid" ] || break
            sleep 0.25
        done
        if [ -d "/proc/$pid" ]; then
            as_root kill -KILL "$pid" 2>/dev/null || true
            say "killed dnsmasq (pid $pid): it did not stop in 10s"
        else
            say "stopped dnsmasq (pid $pid) of $NOVA_FLAT_BRIDGE"
        fi
    fi
    # The leases were this deployment's guests', all gone now; a stale one
    # would keep dnsmasq from giving its address to the next guest's MAC.
    rm -f "$dir/dnsmasq.pid" "$dir/leases"
}

flat_remove_nat() {  # every nat rule commented nova-flat-<bridge>
    local comment="nova-flat-$NOVA_FLAT_BRIDGE" rules rule args
    command -v iptables >/dev/null || return 0
    rules=$(as_root iptables -w -t nat -S 2>/dev/null | \
        grep -E -- "--comment \"?$comment\"?( |\$)") || return 0
    while read -r rule; do
        # "-A CHAIN <match>" is deleted by "-D CHAIN <match>".
        read -ra args <<< "${rule#-A }"
        as_root iptables -w -t nat -D "${args[@]}" 2>/dev/null || true
    done <<< "$rules"
    say "removed the NAT rule(s) of $NOVA_FIXED_RANGE ($comment)"
}

flat_remove_links() {
    local br=$NOVA_FLAT_BRIDGE link ports i
    # The extra hosts' veths, <bridge>-N: they go with their namespaces,
    # unless a process left in one keeps it.
    for link in $(_flat_links type veth); do
        [[ "$link" =~ ^"$br"-[0-9]+$ ]] || continue
        as_root ip link del "$link" 2>/dev/null || true
    done
    ip link show "$br" >/dev/null 2>&1 || return 0
    # libvirt removes a guest's tap as the guest stops; give it a moment.
    for ((i = 0; i < 10; i++)); do
        ports=$(_flat_links master "$br")
        [ -n "$ports" ] || break
        sleep 0.5
    done
    if [ -n "$ports" ]; then
        say "WARNING: leaving the bridge $br: it still has ports" \
            "(${ports//$'\n'/ }), not this deployment's"
        return 0
    fi
    as_root ip link del "$br" 2>/dev/null || true
    say "removed the bridge $br"
}

_flat_links() {  # names of the links `ip link show ARGS...` lists
    { ip -o link show "$@" 2>/dev/null || true; } | \
        awk -F': ' '{print $2}' | cut -d@ -f1
}

nova_compute_driver() {  # the compute_driver class
    if [ -n "$NOVA_COMPUTE_DRIVER" ]; then
        echo "$NOVA_COMPUTE_DRIVER"
    elif [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
        echo libvirt.LibvirtDriver
    else
        echo fake.FakeDriver
    fi
}

nova_libvirt_type() {  # NOVA_LIBVIRT_TYPE with auto resolved
    if [ "$NOVA_LIBVIRT_TYPE" != auto ]; then
        echo "$NOVA_LIBVIRT_TYPE"
    elif [ -e /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
        echo kvm
    else
        echo qemu
    fi
}

# The private libvirtd of an extra compute host (devstack/libvirt.sh).
nova_libvirt_host_dir() { echo "$NOVA_LIBVIRT_HOSTS_DIR/$1"; }
nova_libvirt_host_uri() {
    echo "qemu:///system?socket=$(nova_libvirt_host_dir "$1")/run/libvirt-sock"
}

nova_manage() {
    "$NOVA_VENV/bin/nova-manage" --config-file "$NOVA_CONF" \
        --config-file "$NOVA_DB_CONF" "$@"
}

# stack.sh, after the sync: a SQLite database file is the whole database,
# readable by the services' user alone.
nova_db_file_private() {
    local path
    case "$NOVA_DB_CONNECTION" in
        sqlite:///*)
            path=${NOVA_DB_CONNECTION#sqlite:///}
            path=${path%%\?*}
            [ ! -e "$path" ] || chmod 600 "$path" ;;
    esac
}

pid_alive() {  # pid_alive <pidfile>
    local pid
    [ -f "$1" ] || return 1
    pid=$(cat "$1")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && \
        grep -qE 'nova|glance|keystone|neutron|horizon' "/proc/$pid/cmdline" \
            2>/dev/null
}

all_services() {
    # short:binary of every service, the extra computes included.
    local n
    echo $NOVA_SERVICES
    for ((n = 2; n <= NOVA_COMPUTES; n++)); do
        echo "n-cpu-$n:nova-compute"
    done
}

start_service() {  # start_service <short name> <console script>
    local short=$1 binary=$2 pidfile="$NOVA_PID_DIR/$1.pid"
    local args=(--config-file "$NOVA_CONF")
    case "$short" in
        n-cpu-*) args+=(--config-file "$NOVA_CONF_DIR/nova-${short#n-}.conf") ;;
    esac
    if pid_alive "$pidfile"; then
        say "$binary is already running (pid $(cat "$pidfile"))"
        return 0
    fi
    if [ "$binary" = nova-conductor ]; then
        args+=(--config-file "$NOVA_DB_CONF")
    fi
    local cmd=("$NOVA_VENV/bin/$binary")
    # A console script newer than the virtualenv's (editable) install of
    # nova runs as its module until pip installs nova again.
    [ -x "${cmd[0]}" ] || \
        cmd=("$NOVA_VENV/bin/python" -m "nova.cmd.${binary#nova-}")
    # An extra libvirt compute host's nova-compute sees its files as that
    # host does (its mount namespace, devstack/hosts.sh).
    local as_host=()
    case "$short" in
        n-cpu-*) ! hosts_enabled || \
            mapfile -t as_host < <(hosts_nsenter "${short#n-cpu-}") ;;
    esac
    nohup "${as_host[@]}" "${cmd[@]}" "${args[@]}" \
        --log-file "$LOGDIR/$short.log" >>"$LOGDIR/$short.out" 2>&1 &
    echo $! > "$pidfile"
    say "started $binary (pid $!), log $LOGDIR/$short.log"
}

stop_services() {  # stop_services <short name>...
    # TERM them all at once, then wait: each finishes its in-flight work.
    local short pid pids=() i
    for short in "$@"; do
        if pid_alive "$NOVA_PID_DIR/$short.pid"; then
            pid=$(cat "$NOVA_PID_DIR/$short.pid")
            kill "$pid" 2>/dev/null || true
            pids+=("$short:$pid")
        fi
        rm -f "$NOVA_PID_DIR/$short.pid"
    done
    for entry in "${pids[@]}"; do
        pid=${entry#*:}
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
            say "killed ${entry%%:*} (pid $pid): it did not stop in 15s"
        else
            say "stopped ${entry%%:*} (pid $pid)"
        fi
    done
}

api_up() {
    "$NOVA_VENV/bin/python" - "$NOVA_ENDPOINT" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1] + '/', timeout=2)
except Exception:
    sys.exit(1)
PY
}

services_alive() {  # dies naming the first service whose process is gone
    local entry
    for entry in $(all_services); do
        pid_alive "$NOVA_PID_DIR/${entry%%:*}.pid" || \
            die "${entry#*:} (${entry%%:*}) exited; see" \
                "$LOGDIR/${entry%%:*}.log and ${entry%%:*}.out"
    done
}

services_up() {
    # Conductor and scheduler on $NOVA_HOST, nova-compute on every compute
    # host, all up (a service that died stops the wait).  A fresh token
    # each time: one may expire during the wait.
    services_alive
    NOVA_API_TOKEN=$(keystone_token) "$NOVA_VENV/bin/python" - \
        "$NOVA_ENDPOINT" "$NOVA_HOST" "$NOVA_COMPUTES" <<'PY'
import json, os, sys, urllib.error, urllib.request
endpoint, host, computes = sys.argv[1:4]
computes = int(computes)
req = urllib.request.Request(endpoint + '/os-services', headers={
    'X-Auth-Token': os.environ['NOVA_API_TOKEN']})
try:
    services = json.load(urllib.request.urlopen(req, timeout=5))['services']
except urllib.error.HTTPError as e:
    if e.code in (401, 403):
        sys.exit('[nova] ERROR: nova-api refused the admin token: %s' % e)
    sys.exit(1)
except Exception:
    sys.exit(1)
up = {(s['binary'], s['host']) for s in services if s['state'] == 'up'}
want = {('nova-conductor', host), ('nova-scheduler', host),
        ('nova-compute', host)}
want |= {('nova-compute', '%s-%d' % (host, n))
         for n in range(2, computes + 1)}
sys.exit(0 if want <= up else 1)
PY
}

write_clouds_yaml() {
    mkdir -p "$(dirname "$CLOUDS_YAML")"
    "$NOVA_VENV/bin/python" - "$CLOUDS_YAML" "$NOVA_AUTH_STRATEGY" \
        "$NOVA_ENDPOINT" "$GLANCE_ENDPOINT" "$KEYSTONE_AUTH_URL" \
        "$ADMIN_PASSWORD" "$REGION_NAME" <<'PY'
import os, sys
import yaml

(path, strategy, endpoint, image_endpoint, auth_url, password,
 region) = sys.argv[1:8]
data = {}
if os.path.exists(path):
    with open(path) as f:
        data = yaml.safe_load(f) or {}


def keystone_cloud(user, project):
    return {'auth': {'auth_url': auth_url, 'username': user,
                     'password': password, 'project_name': project,
                     'user_domain_id': 'default',
                     'project_domain_id': 'default'},
            'identity_api_version': 3,
            'interface': 'public',
            'region_name': region}


def noauth_cloud(token):
    # Without identity: the token reaches nova-api as noauth2 user:project.
    return {'auth_type': 'admin_token',
            'auth': {'endpoint': endpoint, 'token': token},
            'compute_endpoint_override': endpoint,
            'identity_endpoint_override': endpoint,
            'image_endpoint_override': image_endpoint,
            'identity_api_version': 3,
            'region_name': region}


clouds = data.setdefault('clouds', {})
if strategy == 'keystone':
    clouds['devstack'] = keystone_cloud('demo', 'demo')
    clouds['devstack-admin'] = keystone_cloud('admin', 'admin')
    clouds['devstack-reader'] = keystone_cloud('demo-reader', 'demo')
    clouds['devstack-alt'] = keystone_cloud('alt_demo', 'alt_demo')
else:
    clouds['devstack'] = noauth_cloud('demo:demo')
    clouds['devstack-admin'] = noauth_cloud('admin:admin')
    clouds['devstack-alt'] = noauth_cloud('alt_demo:alt_demo')
    # noauth2 gives every user member and reader: no reader-only cloud.
    clouds.pop('devstack-reader', None)
# It holds passwords: readable by its owner only.
with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
          'w') as f:
    yaml.safe_dump(data, f, default_flow_style=False)
os.chmod(path, 0o600)
PY
    say "wrote the clouds devstack, devstack-admin, devstack-alt" \
        "$([ "$NOVA_AUTH_STRATEGY" != keystone ] || echo 'and devstack-reader ')to" \
        "$CLOUDS_YAML"
}

# The compute hosts as separate machines (uses libvirt.sh's helpers when
# it is sourced too).
source "$(dirname "${BASH_SOURCE[0]}")/hosts.sh"

# RabbitMQ: the machine's broker, or a cluster of this deployment's own.
source "$(dirname "${BASH_SOURCE[0]}")/rabbitmq.sh"
