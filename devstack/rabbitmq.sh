# RabbitMQ for stack.sh, unstack.sh and .ci/run (sourced by lib.sh): the
# machine's broker at NOVA_TRANSPORT_URL (installed and started when it is
# local and missing), a virtual host per deployment, and quorum queues.
#
# NOVA_RABBIT_CLUSTER=3 runs a RabbitMQ cluster of this deployment's own
# instead: three nodes on this machine ($NOVA_RABBIT_CLUSTER_NAME<N>@
# localhost, AMQP on NOVA_RABBIT_CLUSTER_PORT + N - 1, data and logs under
# $NOVA_RABBIT_CLUSTER_DIR, one Erlang cookie there), joined to the first,
# with nova's queues as quorum queues replicated on every node and a
# transport URL naming all three, so that nova's services fail over to
# another node when one stops (oslo.messaging reconnects to the next host
# of the URL).  unstack.sh stops the nodes; their data stays.

NOVA_RABBIT_CLUSTER=${NOVA_RABBIT_CLUSTER:-0}
NOVA_RABBIT_CLUSTER_NAME=${NOVA_RABBIT_CLUSTER_NAME:-nova-rabbit}
NOVA_RABBIT_CLUSTER_PORT=${NOVA_RABBIT_CLUSTER_PORT:-5681}
NOVA_RABBIT_CLUSTER_DIR=${NOVA_RABBIT_CLUSTER_DIR:-$STACK_DIR/data/rabbitmq}
# The server and CLI without Debian's wrappers (which switch to the
# rabbitmq user and its home, hence its cookie).
RABBIT_SERVER=${RABBIT_SERVER:-/usr/lib/rabbitmq/bin/rabbitmq-server}
RABBIT_CTL=${RABBIT_CTL:-/usr/lib/rabbitmq/bin/rabbitmqctl}

rabbit_cluster_enabled() { [ "$NOVA_RABBIT_CLUSTER" != 0 ]; }

rabbit_cluster_node() {  # rabbit_cluster_node N: node N's name
    echo "$NOVA_RABBIT_CLUSTER_NAME$1@localhost"
}

rabbit_cluster_port() {  # rabbit_cluster_port N: node N's AMQP port
    echo $((NOVA_RABBIT_CLUSTER_PORT + $1 - 1))
}

_transport_vhost() {  # the transport URL's virtual host as written
    echo "$NOVA_TRANSPORT_URL" | sed -E 's#^[a-z+]+://[^/]*/?##'
}

# With the cluster, the transport URL names its nodes (the virtual host of
# NOVA_TRANSPORT_URL kept; the user is guest, whom a new node has) and
# nova's queues are quorum queues.
if rabbit_cluster_enabled; then
    case "$NOVA_RABBIT_CLUSTER" in
        ''|*[!0-9]*|0*) echo "[nova] ERROR: NOVA_RABBIT_CLUSTER must be 0" \
            "or a number of nodes, not '$NOVA_RABBIT_CLUSTER'" >&2; exit 1 ;;
    esac
    # The CLI's distribution ports are the node's AMQP port + 30000..+30010.
    case "$NOVA_RABBIT_CLUSTER_PORT" in
        ''|*[!0-9]*) _rabbit_bad_port=1 ;;
        *) [ $((NOVA_RABBIT_CLUSTER_PORT + NOVA_RABBIT_CLUSTER + 30010)) \
            -lt 65536 ] && [ "$NOVA_RABBIT_CLUSTER_PORT" -ge 1024 ] || \
            _rabbit_bad_port=1 ;;
    esac
    if [ -n "${_rabbit_bad_port:-}" ]; then
        echo "[nova] ERROR: NOVA_RABBIT_CLUSTER_PORT=" \
            "$NOVA_RABBIT_CLUSTER_PORT: a port from 1024 with room for" \
            "the nodes' ports + 30010 below 65536" >&2
        exit 1
    fi
    _rabbit_hosts=''
    for ((_n = 1; _n <= NOVA_RABBIT_CLUSTER; _n++)); do
        _rabbit_hosts+="${_rabbit_hosts:+,}guest:guest@127.0.0.1:$(
            rabbit_cluster_port $_n)"
    done
    NOVA_TRANSPORT_URL="rabbit://$_rabbit_hosts/$(_transport_vhost)"
    NOVA_RABBIT_QUORUM_QUEUES=True
    unset _rabbit_hosts _n
fi

_rabbit_node_env() {  # _rabbit_node_env N: env words for node N
    local dir=$NOVA_RABBIT_CLUSTER_DIR
    echo HOME="$dir" RABBITMQ_NODENAME="$(rabbit_cluster_node "$1")" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$(rabbit_cluster_port "$1")" \
        RABBITMQ_DIST_PORT=$(($(rabbit_cluster_port "$1") + 20000)) \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$LOGDIR" \
        RABBITMQ_PID_FILE="$dir/$(rabbit_cluster_node "$1").pid" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
}

# rabbitmqctl against the deployment's broker: the machine's, or the
# cluster's first node (RABBIT_NODE=N: node N).
rabbitmqctl_() {
    if rabbit_cluster_enabled; then
        # shellcheck disable=SC2046
        as_root env $(_rabbit_node_env "${RABBIT_NODE:-1}") "$RABBIT_CTL" \
            -n "$(rabbit_cluster_node "${RABBIT_NODE:-1}")" "$@"
    else
        as_root rabbitmqctl "$@"
    fi
}

_rabbit_cluster_members() {  # the running nodes node 1 sees
    rabbitmqctl_ -q cluster_status --formatter json 2>/dev/null | \
        python3 -c 'import json, sys
print("\n".join(json.load(sys.stdin).get("running_nodes", [])))' \
        2>/dev/null || true
}

_rabbit_pid_of() {  # _rabbit_pid_of PIDFILE NODE: its live Erlang VM
    local pid
    pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && \
        kill -0 "$pid" 2>/dev/null && \
        tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | \
        grep -qx "RABBITMQ_NODENAME=$2" && echo "$pid"
}

_rabbit_node_booted() {  # _rabbit_node_booted N
    RABBIT_NODE=$1 rabbitmqctl_ -q await_startup >/dev/null 2>&1
}

rabbit_cluster_start() {
    [ -x "$RABBIT_SERVER" ] || apt_install rabbitmq-server
    local dir=$NOVA_RABBIT_CLUSTER_DIR n started=()
    mkdir -p "$dir/mnesia" "$LOGDIR"
    [ -e "$dir/enabled_plugins" ] || echo '[].' > "$dir/enabled_plugins"
    # No settings beyond the environment's (guest logs in from the
    # loopback, where nova is).
    [ -e "$dir/rabbitmq.conf" ] || : > "$dir/rabbitmq.conf"
    # One Erlang cookie for the nodes and the CLI, made before any node
    # starts (three making it at once could differ).
    if [ ! -s "$dir/.erlang.cookie" ]; then
        ( umask 077; head -c 64 /dev/urandom | tr -dc 'A-Z' | head -c 20 \
            > "$dir/.erlang.cookie" )
        chmod 400 "$dir/.erlang.cookie"
    fi
    for ((n = 1; n <= NOVA_RABBIT_CLUSTER; n++)); do
        if port_open 127.0.0.1 "$(rabbit_cluster_port $n)"; then
            continue
        fi
        # All nodes start before any is waited for: a node that was not
        # the last to stop waits for its peers at boot.
        # shellcheck disable=SC2046
        as_root env $(_rabbit_node_env $n) "$RABBIT_SERVER" -detached \
            >>"$LOGDIR/rabbitmq-cluster.log" 2>&1 || \
            die "could not start RabbitMQ node $(rabbit_cluster_node $n)"
        started+=("$n")
    done
    for n in "${started[@]}"; do
        wait_for 180 "RabbitMQ node $(rabbit_cluster_node "$n") to boot" \
            _rabbit_node_booted "$n"
    done
    local out
    for ((n = 2; n <= NOVA_RABBIT_CLUSTER; n++)); do
        _rabbit_cluster_members | grep -qx "$(rabbit_cluster_node $n)" && \
            continue
        say "joining $(rabbit_cluster_node $n) to $(rabbit_cluster_node 1)"
        if ! out=$(RABBIT_NODE=$n rabbitmqctl_ -q stop_app 2>&1 && \
                RABBIT_NODE=$n rabbitmqctl_ -q join_cluster \
                    "$(rabbit_cluster_node 1)" 2>&1 && \
                RABBIT_NODE=$n rabbitmqctl_ -q start_app 2>&1); then
            # Not left stopped: a later stack.sh finds it answering.
            RABBIT_NODE=$n rabbitmqctl_ -q start_app >/dev/null 2>&1 || true
            die "$(rabbit_cluster_node $n) could not join the cluster: $out"
        fi
    done
    say "RabbitMQ cluster up: $(_rabbit_cluster_members | tr '\n' ' ')"
}

# unstack.sh: every node of the deployment's cluster still running,
# whatever NOVA_RABBIT_CLUSTER says now (their pid files), the last first.
# SIGTERM stops a RabbitMQ node cleanly.
rabbit_cluster_stop() {
    local pidfile node pid i
    for pidfile in $(ls -r "$NOVA_RABBIT_CLUSTER_DIR"/*@localhost.pid \
            2>/dev/null); do
        node=$(basename "$pidfile" .pid)
        pid=$(_rabbit_pid_of "$pidfile" "$node") || continue
        as_root kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        as_root kill -9 "$pid" 2>/dev/null || true
        say "stopped RabbitMQ node $node"
    done
}

ensure_rabbitmq() {
    if rabbit_cluster_enabled; then
        rabbit_cluster_start
        ensure_rabbitmq_vhost
        return 0
    fi
    case "$NOVA_TRANSPORT_URL" in
        *@127.0.0.1:*|*@localhost:*|*//127.0.0.1*|*//localhost*) ;;
        *) say "transport_url is remote; not managing RabbitMQ"; return 0 ;;
    esac
    if port_open 127.0.0.1 5672; then
        say "RabbitMQ is running"
    else
        if ! command -v rabbitmq-server >/dev/null; then
            say "installing RabbitMQ from the distribution"
            apt_install rabbitmq-server
        fi
        say "starting RabbitMQ (no systemd)"
        as_root bash -c 'rabbitmq-server -detached' >/dev/null 2>&1 || true
        wait_for 120 "RabbitMQ on 127.0.0.1:5672" port_open 127.0.0.1 5672
        # The broker accepts TCP before it accepts logins; wait for the app.
        if command -v rabbitmqctl >/dev/null; then
            wait_for 120 "RabbitMQ to boot" rabbitmqctl_ -q await_startup
        fi
    fi
    ensure_rabbitmq_vhost
    rabbitmq_settle_quorum
}

rabbitmq_vhost() {  # the transport URL's virtual host, / when it names none
    local vhost
    vhost=$(_transport_vhost)
    echo "${vhost:-/}"
}

rabbitmq_settle_quorum() {
    [ "$NOVA_RABBIT_QUORUM_QUEUES" = auto ] || return 0
    NOVA_RABBIT_QUORUM_QUEUES=True
    command -v rabbitmqctl >/dev/null || return 0
    local version
    version=$(rabbitmqctl_ -q version 2>/dev/null) || return 0
    case "$version" in
        [0-2].*|3.[0-7].*)
            say "RabbitMQ $version has no quorum queues: nova's queues stay" \
                "transient (a restart of the broker loses what waits in" \
                "them)"
            NOVA_RABBIT_QUORUM_QUEUES=False ;;
    esac
}

# Before nova's services start: RabbitMQ refuses to declare a queue again
# with other arguments (PRECONDITION_FAILED), so the deployment's classic
# topic queues that nobody consumes (left by a run before quorum queues, or
# by rabbit_quorum_queue = false) and its transient control exchange are
# deleted, for the services to declare them durable.  Skipped while a
# service still consumes one: unstack.sh first.
rabbitmq_prepare_queues() {
    [ "$NOVA_RABBIT_QUORUM_QUEUES" = True ] || return 0
    case "$NOVA_TRANSPORT_URL" in
        *@127.0.0.1:*|*@localhost:*|*//127.0.0.1*|*//localhost*) ;;
        *) return 0 ;;
    esac
    rabbit_cluster_enabled || command -v rabbitmqctl >/dev/null || return 0
    local vhost queues exchanges
    vhost=$(rabbitmq_vhost)
    queues=$(rabbitmqctl_ -q list_queues -p "$vhost" \
        --no-table-headers name type consumers 2>/dev/null) || return 0
    exchanges=$(rabbitmqctl_ -q list_exchanges -p "$vhost" \
        --no-table-headers name durable 2>/dev/null) || return 0
    QUEUES=$queues EXCHANGES=$exchanges "$NOVA_VENV/bin/python" - \
        "$NOVA_TRANSPORT_URL" "$NOVA_CONTROL_EXCHANGE" <<'PY' || \
        die "could not prepare RabbitMQ's queues for quorum queues"
import os, re, sys
import kombu

url, exchange = sys.argv[1:3]
topic = re.compile(r'^(conductor|scheduler|compute)(\..+)?$')
classic, busy = [], []
for line in os.environ['QUEUES'].splitlines():
    name, kind, consumers = line.split()
    if topic.match(name) and kind != 'quorum':
        (busy if consumers != '0' else classic).append(name)
transient = any(line.split() == [exchange, 'false']
                for line in os.environ['EXCHANGES'].splitlines())
if busy:
    print('[nova] WARNING: services still consume the transient queues %s:'
          ' not replacing them (run unstack.sh, then stack.sh)'
          % ' '.join(busy), file=sys.stderr)
    sys.exit(0)
if not classic and not transient:
    sys.exit(0)
# The first of the URL's hosts, in kombu's scheme.
url = 'amqp://' + url.split('://', 1)[1].split(',')[0]
with kombu.Connection(url) as conn:
    channel = conn.channel()
    for name in classic:
        channel.queue_delete(name, if_unused=True)
    if transient:
        channel.exchange_delete(exchange)
print('[nova] deleted the transient queues %s%s: quorum queues replace them'
      % (' '.join(classic) or '(none)',
         ' and exchange ' + exchange if transient else ''), file=sys.stderr)
PY
}

ensure_rabbitmq_vhost() {
    # Queues are named after topics (conductor, compute.<host>, ...), so two
    # deployments on one broker only stay apart in separate virtual hosts.
    local vhost user
    vhost=$(_transport_vhost)
    user=$(echo "$NOVA_TRANSPORT_URL" | sed -E 's#^[a-z+]+://([^:@/]*).*#\1#')
    [ -n "$vhost" ] && [ "$vhost" != / ] || return 0
    rabbit_cluster_enabled || command -v rabbitmqctl >/dev/null || \
        die "rabbitmqctl is needed to create the RabbitMQ vhost $vhost"
    if ! rabbitmqctl_ -q list_vhosts 2>/dev/null | grep -qx "$vhost"; then
        say "creating the RabbitMQ vhost $vhost"
        rabbitmqctl_ -q add_vhost "$vhost" >/dev/null
    fi
    rabbitmqctl_ -q set_permissions -p "$vhost" "${user:-guest}" \
        '.*' '.*' '.*' >/dev/null
}

