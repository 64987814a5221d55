# The compute hosts as separate machines (sourced by devstack/libvirt.sh):
# with the libvirt driver and NOVA_COMPUTES >= 2, each extra host
# $NOVA_HOST-N keeps its instances_path and image cache to itself, has an
# address of its own, and runs an sshd there, so that a cold migration or a
# resize copies the disk over ssh as between real hosts (nova's
# [libvirt] remote_filesystem_transport).
#
#   storage  Every host is configured with the same instances_path,
#            $NOVA_DATA_DIR/instances.  In an extra host's mount namespace
#            (its libvirtd's, where its nova-compute and its sshd run too)
#            that path is a bind mount of $NOVA_LIBVIRT_HOSTS_DIR/NAME/
#            instances: the main host never sees an extra host's files
#            there, nor an extra host the main host's or another's.
#   network  A bridge NOVA_HOSTS_BRIDGE on the main host with the first
#            address of NOVA_HOSTS_RANGE; host N's network namespace joins
#            it by a veth ($NOVA_HOSTS_BRIDGE-N here, hosts-link there)
#            with the Nth address.  nova-compute N stays in the main
#            network namespace (RabbitMQ, Glance and Keystone are on its
#            127.0.0.1) and reaches every host through the bridge.
#   ssh      One client key, $NOVA_HOST_SSH_DIR/id_ed25519, authorized by
#            every host's sshd; each sshd has its own host key, all listed
#            in $NOVA_HOST_SSH_DIR/known_hosts; $NOVA_HOST_SSH_DIR/
#            ssh_config (nova's [libvirt] remote_filesystem_ssh_config)
#            names them, so no prompt is ever shown.  Try:
#              ssh -F $NOVA_HOST_SSH_DIR/ssh_config <address> hostname
#   live     A live migration goes from the source's libvirtd to the
#   migration destination's, peer to peer, at nova's [libvirt]
#            live_migration_uri with %s = the destination's host name:
#            $NOVA_LIVE_MIGRATION_DIR/libvirt/NAME/libvirt-sock is host
#            NAME's libvirtd socket in every host's mount namespace (a link
#            to an extra host's run directory; for the main host a bind
#            mount of its /run/libvirt that each extra host's namespace
#            makes before hiding it).  The hosts' network namespaces share
#            no network QEMU could use: QEMU sends the guest's memory and
#            disks over unix sockets in $NOVA_LIVE_MIGRATION_DIR/qemu
#            ([libvirt] live_migration_inbound_addr, a directory).
#
# Settings (lib.sh): NOVA_HOSTS_BRIDGE, NOVA_HOSTS_RANGE, NOVA_HOST_SSH_PORT,
# NOVA_HOST_SSH_DIR, NOVA_LIVE_MIGRATION_DIR.

HOSTS_PACKAGES=${HOSTS_PACKAGES:-openssh-server openssh-client rsync}
# The extra host's end of its veth to NOVA_HOSTS_BRIDGE.
HOSTS_LINK=hosts-link

# Whether this deployment runs its hosts as separate machines.
hosts_enabled() {
    [ "$NOVA_VIRT_DRIVER" = libvirt ] && [ "$NOVA_COMPUTES" -ge 2 ]
}

hosts_check() {
    case "$NOVA_HOSTS_BRIDGE" in
        ''|*[!A-Za-z0-9_.-]*)
            die "NOVA_HOSTS_BRIDGE='$NOVA_HOSTS_BRIDGE' is not a usable" \
                "interface name" ;;
    esac
    [ ${#NOVA_HOSTS_BRIDGE} -le 12 ] || die "NOVA_HOSTS_BRIDGE=" \
        "$NOVA_HOSTS_BRIDGE is longer than 12 characters: the veths" \
        "($NOVA_HOSTS_BRIDGE-N) would not fit in 15"
    [ "$NOVA_HOSTS_BRIDGE" != "$NOVA_FLAT_BRIDGE" ] || \
        die "NOVA_HOSTS_BRIDGE must differ from NOVA_FLAT_BRIDGE"
    hosts_addr 1 >/dev/null
    hosts_addr "$NOVA_COMPUTES" >/dev/null
    # QEMU's sockets are <uuid>.memory and <uuid>.disks there.
    local sock="$(hosts_qemu_socket_dir)/$(cat /proc/sys/kernel/random/uuid).memory"
    [ ${#sock} -le 107 ] || die "NOVA_LIVE_MIGRATION_DIR=" \
        "$NOVA_LIVE_MIGRATION_DIR is too long for QEMU's migration sockets" \
        "($sock: ${#sock} > 107 characters)"
    sock="$(hosts_libvirt_dir "$NOVA_HOST-$NOVA_COMPUTES")/libvirt-sock"
    [ ${#sock} -le 107 ] || die "NOVA_LIVE_MIGRATION_DIR=" \
        "$NOVA_LIVE_MIGRATION_DIR is too long for libvirtd sockets" \
        "($sock: ${#sock} > 107 characters)"
}

# Where host NAME's libvirtd socket (libvirt-sock) is, for every host.
hosts_libvirt_dir() {  # hosts_libvirt_dir NAME
    echo "$NOVA_LIVE_MIGRATION_DIR/libvirt/$1"
}

# The directory of QEMU's live migration sockets, seen by every host.
hosts_qemu_socket_dir() { echo "$NOVA_LIVE_MIGRATION_DIR/qemu"; }

# Host N's address (1 is $NOVA_HOST), with /prefix when asked.
hosts_addr() {  # hosts_addr N [prefix]
    python3 - "$NOVA_HOSTS_RANGE" "$1" "${2:-}" <<'PY'
import ipaddress, sys
try:
    net = ipaddress.IPv4Network(sys.argv[1])
except ValueError as e:
    sys.exit('[nova] ERROR: NOVA_HOSTS_RANGE=%s is not an IPv4 range: %s'
             % (sys.argv[1], e))
n = int(sys.argv[2])
if n >= net.num_addresses - 1:
    sys.exit('[nova] ERROR: NOVA_HOSTS_RANGE=%s has no address for host %d'
             % (net, n))
addr = net.network_address + n
print('%s/%d' % (addr, net.prefixlen) if sys.argv[3] else addr)
PY
}

# nova-compute's user: the one every sshd lets in with the key.
_hosts_user() { id -un; }

# The pid whose namespaces are host NAME's (its libvirtd's).
_hosts_ns_pid() {  # _hosts_ns_pid NAME
    _libvirt_pid "$(nova_libvirt_host_dir "$1")/run/libvirtd.pid" libvirtd
}

# The command prefix that runs a command as host N (nothing for 1).
hosts_nsenter() {  # hosts_nsenter N: prints words, one per line
    local pid
    [ "$1" -ge 2 ] || return 0
    pid=$(_hosts_ns_pid "$NOVA_HOST-$1") || \
        die "libvirt host $NOVA_HOST-$1 is not running"
    printf '%s\n' nsenter "--target=$pid" --mount --uts
}

hosts_install_packages() {
    local pkg missing=()
    for pkg in $HOSTS_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | \
            grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    apt_install "${missing[@]}"
}

# Host NAME's instances_path is its own: $NOVA_DATA_DIR/instances in its
# mount namespace is its directory under NOVA_LIBVIRT_HOSTS_DIR.
# Idempotent (a running host keeps its mount).
hosts_private_instances() {  # hosts_private_instances N
    local name="$NOVA_HOST-$1" dir pid
    dir="$(nova_libvirt_host_dir "$name")/instances"
    pid=$(_hosts_ns_pid "$name") || die "libvirt host $name is not running"
    mkdir -p "$dir" "$NOVA_DATA_DIR/instances"
    as_root nsenter --target="$pid" --mount /bin/sh -ec '
        mountpoint -q "$2" || mount --bind "$1" "$2"' sh "$dir" \
        "$NOVA_DATA_DIR/instances" || \
        die "could not mount $dir on $NOVA_DATA_DIR/instances for $name"
}

# The bridge between the hosts, host N's veth on it and its address.
hosts_join_network() {  # hosts_join_network N
    local n=$1 br=$NOVA_HOSTS_BRIDGE veth="$NOVA_HOSTS_BRIDGE-$1" pid ns
    flat_ensure_bridge "$br"
    as_root ip addr replace "$(hosts_addr 1 prefix)" dev "$br"
    pid=$(_hosts_ns_pid "$NOVA_HOST-$n") || \
        die "libvirt host $NOVA_HOST-$n is not running"
    ns=(nsenter --net="/proc/$pid/ns/net")
    # A veth whose other end is in an old namespace joins nothing.
    if ip link show "$veth" >/dev/null 2>&1 && ! as_root "${ns[@]}" \
            ip link show "$HOSTS_LINK" >/dev/null 2>&1; then
        as_root ip link del "$veth"
    fi
    if ! ip link show "$veth" >/dev/null 2>&1; then
        as_root ip link add "$veth" type veth peer name "$HOSTS_LINK" \
            netns "$pid" || die "could not create the veth $veth"
    fi
    as_root ip link set "$veth" master "$br" up
    as_root "${ns[@]}" ip addr replace "$(hosts_addr "$n" prefix)" \
        dev "$HOSTS_LINK"
    as_root "${ns[@]}" ip link set "$HOSTS_LINK" up
}

_hosts_sshd_dir() { echo "$NOVA_HOST_SSH_DIR/host-$1"; }

# The client key, each host's host key, known_hosts and ssh_config.
hosts_ssh_keys() {
    local dir=$NOVA_HOST_SSH_DIR n addr entry
    mkdir -p "$dir"
    chmod 0700 "$dir"
    [ -s "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' \
        -C "nova-compute@$NOVA_HOST" -f "$dir/id_ed25519"
    cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
    chmod 0600 "$dir/authorized_keys"
    : > "$dir/known_hosts"
    for ((n = 1; n <= NOVA_COMPUTES; n++)); do
        mkdir -p "$(_hosts_sshd_dir "$n")"
        [ -s "$(_hosts_sshd_dir "$n")/ssh_host_ed25519_key" ] || \
            ssh-keygen -q -t ed25519 -N '' -C "host-$n" \
                -f "$(_hosts_sshd_dir "$n")/ssh_host_ed25519_key"
        addr=$(hosts_addr "$n")
        entry=$addr
        [ "$NOVA_HOST_SSH_PORT" = 22 ] || entry="[$addr]:$NOVA_HOST_SSH_PORT"
        echo "$entry $(cut -d' ' -f1,2 \
            "$(_hosts_sshd_dir "$n")/ssh_host_ed25519_key.pub")" \
            >> "$dir/known_hosts"
    done
    cat > "$dir/ssh_config" <<CONF
# Written by devstack/hosts.sh: nova-compute's connections to the other
# compute hosts ([libvirt] remote_filesystem_ssh_config).
Host *
    User $(_hosts_user)
    Port $NOVA_HOST_SSH_PORT
    IdentityFile $dir/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $dir/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    LogLevel ERROR
CONF
}

# Host N's sshd, on its address, as that host (its namespaces).
hosts_start_sshd() {  # hosts_start_sshd N
    local n=$1 dir pid in=()
    dir=$(_hosts_sshd_dir "$n")
    if pid=$(_libvirt_pid "$dir/sshd.pid" sshd); then
        return 0
    fi
    cat > "$dir/sshd_config" <<CONF
# Written by devstack/hosts.sh: host $n's sshd, for nova-compute's disk
# copies between the hosts.
ListenAddress $(hosts_addr "$n"):$NOVA_HOST_SSH_PORT
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $NOVA_HOST_SSH_DIR/authorized_keys
AllowUsers $(_hosts_user)
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
# The keys live in the deployment's directory, not in ~/.ssh.
StrictModes no
# scp speaks SFTP since OpenSSH 9.
Subsystem sftp internal-sftp
CONF
    mapfile -t in < <(hosts_nsenter "$n")
    as_root mkdir -p /run/sshd
    if [ "$n" -ge 2 ]; then
        in+=("--net=/proc/$(_hosts_ns_pid "$NOVA_HOST-$n")/ns/net")
    fi
    as_root "${in[@]}" "${_LIBVIRT_DAEMON_ENV[@]}" /usr/sbin/sshd \
        -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null || \
        die "sshd of host $n did not start; see $dir/sshd.log"
    wait_for 10 "sshd of host $n" test -s "$dir/sshd.pid"
}

# Host N's libvirtd reachable from every host at hosts_libvirt_dir, and
# the main host's from host N's namespace (libvirt_start_host mounted it).
hosts_live_migration() {  # hosts_live_migration N
    local name="$NOVA_HOST-$1" main pid
    main=$(hosts_libvirt_dir "$NOVA_HOST")
    mkdir -p "$NOVA_LIVE_MIGRATION_DIR/libvirt" "$main" \
        "$(hosts_qemu_socket_dir)"
    ln -sfn "$(nova_libvirt_host_dir "$name")/run" "$(hosts_libvirt_dir "$name")"
    libvirt_answers "qemu:///system?socket=$(hosts_libvirt_dir \
        "$name")/libvirt-sock" || die "libvirt host $name does not answer" \
        "at $(hosts_libvirt_dir "$name")/libvirt-sock"
    pid=$(_hosts_ns_pid "$name") || die "libvirt host $name is not running"
    # A host started before this mount existed lacks it: only a restart
    # (unstack.sh) gives it one.
    as_root nsenter --target="$pid" --mount timeout 120 virsh -q -c \
        "qemu:///system?socket=$main/libvirt-sock" version >/dev/null \
        2>&1 || die "the main libvirtd does not answer at $main/libvirt-sock" \
        "in host $name's namespace: run unstack.sh, then stack.sh"
}

# stack.sh, after the extra libvirt hosts started: storage, network, keys
# and sshds, and an ssh to each host as nova-compute will make it.
hosts_stack() {
    hosts_enabled || return 0
    hosts_check
    hosts_install_packages
    local n addr started=$SECONDS
    for ((n = 2; n <= NOVA_COMPUTES; n++)); do
        hosts_private_instances "$n"
        hosts_join_network "$n"
        hosts_live_migration "$n"
    done
    hosts_ssh_keys
    for ((n = 1; n <= NOVA_COMPUTES; n++)); do
        hosts_start_sshd "$n"
    done
    for ((n = 1; n <= NOVA_COMPUTES; n++)); do
        addr=$(hosts_addr "$n")
        wait_for 10 "ssh to host $n at $addr" timeout 10 ssh \
            -F "$NOVA_HOST_SSH_DIR/ssh_config" "$addr" true
    done
    say "compute hosts on $NOVA_HOSTS_BRIDGE ($NOVA_HOSTS_RANGE), each with" \
        "its own instances_path and sshd, libvirtds reachable for live" \
        "migration in $NOVA_LIVE_MIGRATION_DIR, in $((SECONDS - started))s"
}

# nova.conf lines of host N ([libvirt]): its address and the ssh settings.
hosts_nova_config() {  # hosts_nova_config N
    hosts_enabled || return 0
    echo "migration_inbound_addr = $(hosts_addr "$1")"
    echo "remote_filesystem_ssh_config = $NOVA_HOST_SSH_DIR/ssh_config"
    echo "live_migration_uri = qemu+unix:///system?socket=$(hosts_libvirt_dir \
        %s)/libvirt-sock"
    echo "live_migration_inbound_addr = $(hosts_qemu_socket_dir)"
}

# unstack.sh, before the extra hosts stop: the sshds, the bridge and its
# veths (the other ends go with them), the keys.
hosts_unstack() {
    local dir pid
    # Nothing of it when this deployment made no keys.
    [ -d "$NOVA_HOST_SSH_DIR" ] || return 0
    for dir in "$NOVA_HOST_SSH_DIR"/host-*/; do
        [ -d "$dir" ] || continue
        _libvirt_kill "$dir/sshd.pid" sshd
    done
    if ip link show "$NOVA_HOSTS_BRIDGE" >/dev/null 2>&1; then
        for dir in /sys/class/net/"$NOVA_HOSTS_BRIDGE"-*; do
            [ -e "$dir" ] && as_root ip link del "$(basename "$dir")" \
                2>/dev/null || true
        done
        as_root ip link del "$NOVA_HOSTS_BRIDGE" 2>/dev/null || true
        say "removed the hosts' bridge $NOVA_HOSTS_BRIDGE"
    fi
    rm -rf "$NOVA_HOST_SSH_DIR"
}

# unstack.sh, after the extra hosts stopped (their namespaces held the
# main libvirtd's mounts): the links and QEMU's socket directory.
hosts_unstack_live_migration() {
    [ -d "$NOVA_LIVE_MIGRATION_DIR" ] || return 0
    rm -rf "$NOVA_LIVE_MIGRATION_DIR"
    say "removed $NOVA_LIVE_MIGRATION_DIR"
}
