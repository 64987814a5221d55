# libvirt + QEMU for nova-compute's libvirt driver, and the tiny-linux test
# image, for stack.sh, unstack.sh and .ci/run (sourced after lib.sh).
#
# There is no systemd: the daemons are started by hand, virtlogd then the
# monolithic libvirtd (Debian 12 has no virtqemud).  The main libvirtd, at
# qemu:///system, is a machine service like RabbitMQ: started once, left
# running by unstack.sh.  Each extra nova-compute (NOVA_COMPUTES >= 2) gets a
# libvirtd of its own in private mount, network and UTS namespaces, with
# libvirt's fixed paths bind-mounted from $NOVA_LIBVIRT_HOSTS_DIR/NAME,
# reached at qemu:///system?socket=<that dir>/run/libvirt-sock.  Its network
# namespace gets a bridge named NOVA_FLAT_BRIDGE too, joined by a veth to
# the main host's, where nova-compute runs the flat network's dnsmasq.
# devstack/hosts.sh then makes each host a host apart: its own
# instances_path (a mount in its namespace, where its nova-compute runs),
# address and sshd, for the disk copies of cold migration and resize.
#
# Settings (lib.sh): NOVA_VIRT_DRIVER, NOVA_LIBVIRT_TYPE, NOVA_COMPUTES,
# NOVA_LIBVIRT_SHUTDOWN_TIMEOUT, NOVA_IMAGE_CACHE_DIR, NOVA_FLAT_BRIDGE.

# dnsmasq-base (dnsmasq without its system service) and dnsmasq-utils
# (dhcp_release) for the flat network nova-compute serves, iptables for its
# NAT, iproute2 for it and the extra hosts' namespaces.
LIBVIRT_PACKAGES=${LIBVIRT_PACKAGES:-qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-dev pkg-config busybox-static cpio dnsmasq-base dnsmasq-utils iproute2 iptables}
LIBVIRT_PIP_SPEC=${LIBVIRT_PIP_SPEC:-libvirt-python}
# Names of the three Glance images of the test guest.
LIBVIRT_TEST_IMAGE_NAME=${LIBVIRT_TEST_IMAGE_NAME:-tiny-linux}
LIBVIRT_TEST_IMAGE_CMDLINE=${LIBVIRT_TEST_IMAGE_CMDLINE:-console=ttyS0 panic=-1}
# Modules the guest loads, in dependency order (paths under the kernel
# package's kernel/): the disks (virtio-blk), the ACPI power button (button
# + evdev for acpid) and the network card (virtio-net, which needs
# net_failover and net/core's failover).
LIBVIRT_GUEST_MODULES="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk drivers/input/evdev drivers/acpi/button net/core/failover drivers/net/net_failover drivers/net/virtio_net"

# A clean environment for the daemons: they outlive this script, and their
# qemu children must not inherit a virtualenv's or pytest's variables.
_LIBVIRT_DAEMON_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin
                     LIBVIRT_LOG_OUTPUTS=3:file:/var/log/libvirt/libvirtd.log)

_libvirt_pid() {  # _libvirt_pid <pidfile> <command name>: the live pid
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && \
        echo "$pid"
}

_libvirt_kill() {  # _libvirt_kill <pidfile> <command name>: TERM, then KILL
    local pid i
    pid=$(_libvirt_pid "$1" "$2") || return 0
    as_root kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        [ -d "/proc/$pid" ] || return 0
        sleep 0.25
    done
    as_root kill -KILL "$pid" 2>/dev/null || true
    say "killed $2 (pid $pid): it did not stop in 15s"
}

# libvirt answers on <uri> (the first call after a start probes QEMU's
# capabilities, 8-12 s here, longer on a busy machine).
libvirt_answers() {
    local socket=/run/libvirt/libvirt-sock
    case "$1" in *socket=*) socket=${1#*socket=} ;; esac
    [ -S "$socket" ] && command -v virsh >/dev/null && \
        timeout 120 virsh -q -c "$1" version >/dev/null 2>&1
}

libvirt_works() {
    libvirt_answers qemu:///system
}

libvirt_install_packages() {
    local pkg missing=()
    for pkg in $LIBVIRT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | \
            grep -q 'install ok installed' || missing+=("$pkg")
    done
    # libvirt-python is built from source (a compiler and Python.h).
    command -v gcc >/dev/null || missing+=(gcc)
    if [ "$(command -v python3)" = /usr/bin/python3 ] && ! python3 -c \
            'import os, sysconfig, sys; sys.exit(not os.path.exists(
             sysconfig.get_paths()["include"] + "/Python.h"))'; then
        missing+=(python3-dev)
    fi
    if [ ${#missing[@]} -eq 0 ]; then
        say "libvirt and QEMU packages are installed"
        return 0
    fi
    local started=$SECONDS
    say "installing ${missing[*]}"
    apt_install "${missing[@]}"
    say "installed the libvirt and QEMU packages in $((SECONDS - started))s"
}

libvirt_install_python() {
    if "$NOVA_VENV/bin/python" -c 'import libvirt' 2>/dev/null; then
        return 0
    fi
    # Only an sdist on PyPI: it compiles against libvirt-dev.
    local started=$SECONDS log="$LOGDIR/libvirt-python-install.log"
    mkdir -p "$LOGDIR"
    say "installing $LIBVIRT_PIP_SPEC into $NOVA_VENV (log $log)"
    "$NOVA_VENV/bin/pip" install "$LIBVIRT_PIP_SPEC" >"$log" 2>&1 || \
        die "pip install $LIBVIRT_PIP_SPEC failed; see $log"
    "$NOVA_VENV/bin/python" -c 'import libvirt' || \
        die "libvirt-python installed but does not import"
    say "installed libvirt-python in $((SECONDS - started))s"
}

# qemu runs as root: with the packaged libvirt-qemu user it cannot open
# /dev/kvm (0600 here), and libvirt then throws its QEMU capability cache
# away and re-probes QEMU (seconds) on every call.
_libvirt_qemu_as_root() {  # _libvirt_qemu_as_root <qemu.conf>; 0 if changed
    grep -q '^user = "root"' "$1" && return 1
    printf '\n# devstack/libvirt.sh: qemu runs as root (see libvirt.sh)\n%s\n%s\n' \
        'user = "root"' 'group = "root"' | as_root tee -a "$1" >/dev/null
}

libvirt_start() {
    [ -x /usr/sbin/libvirtd ] || die "libvirtd is not installed"
    local changed='' pid started=$SECONDS
    if _libvirt_qemu_as_root /etc/libvirt/qemu.conf; then
        changed=1
        say "set qemu's user and group to root in /etc/libvirt/qemu.conf"
    fi
    if libvirt_works; then
        pid=$(_libvirt_pid /run/libvirtd.pid libvirtd) || pid=''
        if [ -z "$changed" ] || [ -z "$pid" ]; then
            say "libvirtd is running${pid:+ (pid $pid)}"
            return 0
        fi
        # Guests survive a libvirtd restart; the daemon reconnects to them.
        say "restarting libvirtd (pid $pid) for the new qemu.conf"
        _libvirt_kill /run/libvirtd.pid libvirtd
    fi
    as_root mkdir -p /var/log/libvirt
    if ! _libvirt_pid /run/virtlogd.pid virtlogd >/dev/null; then
        as_root "${_LIBVIRT_DAEMON_ENV[@]}" virtlogd -d </dev/null \
            >>/var/log/libvirt/daemons.out 2>&1 || \
            die "virtlogd did not start; see /var/log/libvirt/daemons.out"
    fi
    if ! _libvirt_pid /run/libvirtd.pid libvirtd >/dev/null; then
        as_root "${_LIBVIRT_DAEMON_ENV[@]}" libvirtd -d </dev/null \
            >>/var/log/libvirt/daemons.out 2>&1 || \
            die "libvirtd did not start; see /var/log/libvirt/daemons.out"
    fi
    wait_for 30 "libvirtd's socket" test -S /run/libvirt/libvirt-sock
    say "libvirtd started; probing QEMU's capabilities (once, ~10s)"
    libvirt_works || die "libvirtd does not answer at qemu:///system; see" \
        "/var/log/libvirt/libvirtd.log"
    say "libvirtd (pid $(cat /run/libvirtd.pid)) answers at qemu:///system" \
        "after $((SECONDS - started))s"
}

# An extra compute host: its own libvirtd + virtlogd, in its own mount, net
# and UTS namespaces (hostname NAME), so its domains, logs and hostname are
# its own.  State under $NOVA_LIBVIRT_HOSTS_DIR/NAME.
libvirt_start_host() {  # libvirt_start_host NAME
    local name=$1 dir uri started=$SECONDS
    dir=$(nova_libvirt_host_dir "$name")
    uri=$(nova_libvirt_host_uri "$name")
    if libvirt_answers "$uri"; then
        say "libvirt host $name is running (pid" \
            "$(cat "$dir/run/libvirtd.pid" 2>/dev/null))"
        libvirt_host_join_flat "$name"
        return 0
    fi
    # The kernel limits unix socket paths to 107 bytes.
    [ ${#dir} -le 80 ] || die "$dir is too long for libvirt's sockets" \
        "(${#dir} > 80 characters): set a shorter NOVA_LIBVIRT_HOSTS_DIR"
    # A daemon that does not answer, or a lone virtlogd, keeps the old
    # namespaces alive: start afresh.
    _libvirt_kill "$dir/run/libvirtd.pid" libvirtd
    _libvirt_kill "$dir/run/virtlogd.pid" virtlogd
    mkdir -p "$dir"/{run,lib,cache,log,etc}
    if [ ! -e "$dir/etc/libvirtd.conf" ]; then
        # The main host's configuration without its domains.
        cp -a /etc/libvirt/. "$dir/etc/"
        rm -rf "$dir"/etc/qemu/*.xml "$dir/etc/qemu/autostart"
        (cd /var/lib/libvirt && find . -type d) | \
            (cd "$dir/lib" && xargs mkdir -p)
        # QEMU's capabilities are the main host's: its cache (libvirt
        # checks it is still valid) often saves the ~10 s first probe.
        if [ -d /var/cache/libvirt/qemu/capabilities ]; then
            mkdir -p "$dir/cache/qemu"
            cp -a /var/cache/libvirt/qemu/capabilities "$dir/cache/qemu/"
        fi
    fi
    _libvirt_qemu_as_root "$dir/etc/qemu.conf" || true
    # Before its own run directory hides the main libvirtd's: that one
    # stays reachable there, for live migrations to the main host
    # (devstack/hosts.sh).
    as_root unshare --mount --propagation private --net --uts --fork -- \
        "${_LIBVIRT_DAEMON_ENV[@]}" /bin/sh -ec '
            dir=$1
            mkdir -p "$3"
            mount --bind /run/libvirt "$3"
            mount --bind "$dir/run" /run/libvirt
            mount --bind "$dir/lib" /var/lib/libvirt
            mount --bind "$dir/cache" /var/cache/libvirt
            mount --bind "$dir/log" /var/log/libvirt
            mount --bind "$dir/etc" /etc/libvirt
            ip link set lo up
            hostname "$2"
            # -p: the default pid files in /run are the main host'"'"'s.
            virtlogd -d -p /run/libvirt/virtlogd.pid
            libvirtd -d -p /run/libvirt/libvirtd.pid
        ' sh "$dir" "$name" "$(hosts_libvirt_dir "$NOVA_HOST")" \
        </dev/null >>"$dir/log/daemons.out" 2>&1 || \
        die "libvirt host $name did not start; see $dir/log/daemons.out"
    wait_for 30 "libvirt host $name's socket" test -S "$dir/run/libvirt-sock"
    libvirt_answers "$uri" || die "libvirt host $name does not answer at" \
        "$uri; see $dir/log/libvirtd.log"
    say "libvirt host $name (pid $(cat "$dir/run/libvirtd.pid")) answers" \
        "at $uri after $((SECONDS - started))s"
    libvirt_host_join_flat "$name"
}

# The host side of an extra host's veth: <bridge>-N for host $NOVA_HOST-N,
# unique on the machine as long as each deployment has its own bridge.
libvirt_host_veth() {  # libvirt_host_veth NAME
    echo "$NOVA_FLAT_BRIDGE-${1##*-}"
}

# The extra host's end of the veth, inside its namespace (any name would do
# there: the namespace is the host's alone).
LIBVIRT_HOST_UPLINK=flat-uplink

# An extra host on the flat network, as nova-network's FlatDHCP joined
# hosts through flat_interface: its libvirtd enslaves its guests' taps to
# NOVA_FLAT_BRIDGE in ITS namespace, so that namespace gets a bridge of that
# name, joined by a veth pair to the main host's bridge, where nova-compute
# on $NOVA_HOST serves DHCP.  The main host's bridge is made here, without
# an address, when it is not there yet (nova-compute adds the gateway).
# Idempotent: a running host keeps its veth.
libvirt_host_join_flat() {  # libvirt_host_join_flat NAME
    local name=$1 br=$NOVA_FLAT_BRIDGE uplink=$LIBVIRT_HOST_UPLINK
    local dir pid veth ns
    dir=$(nova_libvirt_host_dir "$name")
    pid=$(_libvirt_pid "$dir/run/libvirtd.pid" libvirtd) || \
        die "libvirt host $name has no libvirtd to join to $br"
    veth=$(libvirt_host_veth "$name")
    [ ${#veth} -le 15 ] || die "the veth name $veth is longer than 15" \
        "characters: set a shorter NOVA_FLAT_BRIDGE"
    ns=(nsenter --net="/proc/$pid/ns/net")
    flat_ensure_bridge "$br"
    flat_ensure_bridge "$br" "$pid"
    # A veth whose other end is not in this namespace (left by an earlier
    # namespace some process still holds) joins nothing: make it again.
    if ip link show "$veth" >/dev/null 2>&1 && ! as_root "${ns[@]}" \
            ip link show "$uplink" >/dev/null 2>&1; then
        as_root ip link del "$veth"
    fi
    if ! ip link show "$veth" >/dev/null 2>&1; then
        as_root ip link add "$veth" type veth peer name "$uplink" \
            netns "$pid" || die "could not create the veth $veth for $name"
    fi
    as_root ip link set "$veth" master "$br" up
    as_root "${ns[@]}" ip link set "$uplink" master "$br" up
    say "libvirt host $name is on the flat network: $br there <-> $veth" \
        "<-> $br here"
}

libvirt_stop_host() {  # libvirt_stop_host NAME
    local name=$1 dir uri dom
    dir=$(nova_libvirt_host_dir "$name")
    uri=$(nova_libvirt_host_uri "$name")
    _libvirt_pid "$dir/run/libvirtd.pid" libvirtd >/dev/null || \
        _libvirt_pid "$dir/run/virtlogd.pid" virtlogd >/dev/null || return 0
    # Its qemu processes would outlive libvirtd: the host is ours alone, so
    # every running guest goes.
    if libvirt_answers "$uri"; then
        for dom in $(virsh -q -c "$uri" list --name 2>/dev/null); do
            virsh -q -c "$uri" destroy "$dom" >/dev/null 2>&1 || true
        done
    fi
    _libvirt_kill "$dir/run/libvirtd.pid" libvirtd
    _libvirt_kill "$dir/run/virtlogd.pid" virtlogd
    say "stopped libvirt host $name"
}

# What every domain name of this deployment starts with (instance-).
_libvirt_name_prefix() {
    echo "${NOVA_INSTANCE_NAME_TEMPLATE%%[%]*}"
}

# Destroy and undefine nova's domains (named by the template) on one
# libvirt; with a PATH, only those whose definition mentions it (an
# instances_path: the main libvirtd is shared by every deployment on the
# machine).
libvirt_cleanup_domains() {  # libvirt_cleanup_domains URI [PATH]
    local uri=$1 path=${2:-} dom xml count=0 prefix
    prefix=$(_libvirt_name_prefix)
    libvirt_answers "$uri" || return 0
    for dom in $(virsh -q -c "$uri" list --all --name 2>/dev/null); do
        case "$dom" in "$prefix"*) ;; *) continue ;; esac
        if [ -n "$path" ]; then
            xml=$(virsh -q -c "$uri" dumpxml --inactive "$dom" 2>/dev/null) \
                || continue
            case "$xml" in *"$path"*) ;; *) continue ;; esac
        fi
        virsh -q -c "$uri" destroy "$dom" >/dev/null 2>&1 || true
        virsh -q -c "$uri" undefine "$dom" --managed-save --nvram \
            --snapshots-metadata >/dev/null 2>&1 || \
            virsh -q -c "$uri" undefine "$dom" >/dev/null 2>&1 || true
        count=$((count + 1))
    done
    [ $count -eq 0 ] || say "removed $count nova domain(s) from $uri"
}

# The tiny-linux test guest: Debian's kernel, an initramfs of a static
# busybox, the modules above, devstack/files/tiny-linux-init.sh as /init
# with a network step (below) run just before it says "ready", and a
# 64 MiB qcow2 disk with a marker in sector 0.  Built once into
# $NOVA_IMAGE_CACHE_DIR (locked, so concurrent stack.sh runs can share it);
# rebuilt when what goes into the initramfs changes (bump the stamp's
# version when the build itself changes what it makes).
libvirt_build_test_image() {
    local cache=$NOVA_IMAGE_CACHE_DIR init="$NOVA_DIR/devstack/files/tiny-linux-init.sh"
    local stamp
    # v2: virtio-net and the DHCP network step.
    stamp="v2 $({ cat "$init"; _libvirt_guest_net_script
                  _libvirt_guest_dhcp_hook; } | sha256sum | cut -d' ' -f1)"
    stamp="$stamp $LIBVIRT_GUEST_MODULES"
    mkdir -p "$cache"
    (
        flock -w 900 9 || die "could not lock $cache/.lock"
        if [ "$(cat "$cache/stamp" 2>/dev/null)" = "$stamp" ] && \
                [ -s "$cache/vmlinuz" ] && [ -s "$cache/initrd.img" ] && \
                [ -s "$cache/disk.qcow2" ]; then
            say "using the tiny-linux image in $cache"
            exit 0
        fi
        local started=$SECONDS log="$LOGDIR/tiny-linux-build.log" rc
        mkdir -p "$LOGDIR"
        say "building the tiny-linux image in $cache (log $log)"
        # Not under `||`: errexit must hold inside the build.
        set +e
        ( set -e; _libvirt_build_image "$cache" "$init" ) >"$log" 2>&1
        rc=$?
        set -e
        if [ $rc -ne 0 ]; then
            tail -n 20 "$log" >&2
            die "building the tiny-linux image failed; see $log"
        fi
        echo "$stamp" > "$cache/stamp"
        say "built the tiny-linux image in $((SECONDS - started))s"
    ) 9>"$cache/.lock"
}

# The guest's network step, /bin/tiny-linux-net.  /init runs it once acpid
# is up (an ACPI power-off works meanwhile) and before "tiny-linux: ready",
# so "ready" means the network is settled too; a guest without a network
# card goes on at once.
_libvirt_guest_net_script() {
    cat <<'EOF'
#!/bin/sh
# tiny-linux's network step (devstack/libvirt.sh writes it): for each
# ethernet interface, link up, a DHCP lease from busybox udhcpc (which then
# stays in the background to renew it) and one console line:
#   tiny-linux: lease eth0 ip=10.0.2.15 router=10.0.2.2 mask=24
#   tiny-linux: no lease eth0        (no answer to 20 requests, 1 s apart)
# mask is the prefix length.  Interfaces are tried side by side.  Then each
# address the kernel's command line names in tiny_ping=A[,B...] (an image's
# os_command_line) is pinged, up to 30 times 1 s apart:
#   tiny-linux: ping 10.1.0.5 ok after 2 tries
#   tiny-linux: ping 10.1.0.5 failed after 30 tries
say() { echo "tiny-linux: $*"; }
for m in failover net_failover virtio_net; do
    insmod "/lib/modules/$m.ko" 2>/dev/null || say "insmod $m failed"
done
ip link set lo up
# A virtio network card (virtio device 0x0001) gets its interface when
# virtio_net probes it: up to 3 s each.
for d in /sys/bus/virtio/devices/*; do
    [ "$(cat "$d/device" 2>/dev/null)" = 0x0001 ] || continue
    i=0
    while [ -z "$(ls "$d/net" 2>/dev/null)" ] && [ $i -lt 30 ]; do
        sleep 0.1
        i=$((i + 1))
    done
done
ifaces=
for d in /sys/class/net/*; do
    # Type 1 is ethernet (lo is 772).
    [ "$(cat "$d/type" 2>/dev/null)" = 1 ] && ifaces="$ifaces ${d##*/}"
done
for i in $ifaces; do
    (
        # Link up first: udhcpc on a link still down may send nothing.
        ip link set "$i" up
        udhcpc -i "$i" -s /etc/udhcpc.script -n -t 20 -T 1 \
            >"/tmp/udhcpc-$i.log" 2>&1
        if [ -s "/tmp/lease-$i" ]; then
            say "lease $i $(cat "/tmp/lease-$i")"
        else
            say "no lease $i"
        fi
    ) &
done
wait
for arg in $(cat /proc/cmdline); do
    case "$arg" in tiny_ping=*) ;; *) continue ;; esac
    for a in $(echo "${arg#tiny_ping=}" | tr , ' '); do
        n=1
        until ping -c 1 -W 1 "$a" >/dev/null 2>&1; do
            if [ $n -ge 30 ]; then
                say "ping $a failed after $n tries"
                continue 2
            fi
            n=$((n + 1))
            sleep 1
        done
        say "ping $a ok after $n tries"
    done
done
EOF
}

# udhcpc's hook, /etc/udhcpc.script (Debian's busybox looks for
# /etc/udhcpc/default.script, which the initramfs does not have).
_libvirt_guest_dhcp_hook() {
    cat <<'EOF'
#!/bin/sh
# udhcpc's hook (devstack/libvirt.sh writes it): $1 says what happened, the
# lease is in the environment.  It applies the address and the default
# route, keeps "ip=... router=... mask=..." in /tmp/lease-<interface> for
# the console line, and prints nothing (udhcpc's own output goes to
# /tmp/udhcpc-<interface>.log).
lease=/tmp/lease-$interface
case "$1" in
    deconfig)
        rm -f "$lease"
        ip -4 addr flush dev "$interface"
        ;;
    bound|renew)
        router=${router%% *}
        # A renewal of the same address keeps it (and its connections).
        ip -4 addr show dev "$interface" | grep -q "inet $ip/$mask " || \
            ip -4 addr flush dev "$interface"
        # No line to say "lease" unless the address is there.
        ip addr replace "$ip/$mask" dev "$interface" || exit 0
        # The first interface with a router gets the default route.
        if [ -n "$router" ] && ! ip route | grep -q '^default'; then
            ip route add default via "$router" dev "$interface"
        fi
        echo "ip=$ip router=$router mask=$mask" > "$lease"
        ;;
esac
exit 0
EOF
}

_libvirt_build_image() {  # _libvirt_build_image <cache dir> <init script>
    local cache=$1 init=$2 tmp m fetch=''
    rm -rf "$cache"/.build.*  # an interrupted build's (we hold the lock)
    tmp=$(mktemp -d "$cache/.build.XXXXXX")
    # A cache from before a module was added fetches the kernel again.
    [ -s "$cache/vmlinuz" ] || fetch=1
    for m in $LIBVIRT_GUEST_MODULES; do
        [ -s "$cache/modules/${m##*/}.ko" ] || fetch=1
    done
    if [ -n "$fetch" ]; then
        _libvirt_fetch_kernel "$tmp/kernel"
        rm -rf "$cache/modules"
        mv "$tmp/kernel/modules" "$cache/modules"
        mv "$tmp/kernel/vmlinuz" "$cache/vmlinuz"
    fi
    # The initramfs: / with /init, /bin/busybox, /lib/modules/*.ko and the
    # network step with its udhcpc hook.
    mkdir -p "$tmp/root"/{bin,dev,proc,sys,tmp,etc,lib/modules}
    cp /bin/busybox "$tmp/root/bin/busybox"
    file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || \
        ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || {
            echo "/bin/busybox is not static: install busybox-static"
            return 1
        }
    for m in $LIBVIRT_GUEST_MODULES; do
        cp "$cache/modules/${m##*/}.ko" "$tmp/root/lib/modules/"
    done
    cp "$init" "$tmp/root/init"
    _libvirt_guest_net_script > "$tmp/root/bin/tiny-linux-net"
    _libvirt_guest_dhcp_hook > "$tmp/root/etc/udhcpc.script"
    chmod 0755 "$tmp/root/init" "$tmp/root/bin/busybox" \
        "$tmp/root/bin/tiny-linux-net" "$tmp/root/etc/udhcpc.script"
    (cd "$tmp/root" && find . | LC_ALL=C sort | \
        cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$tmp/initrd.img"
    mv "$tmp/initrd.img" "$cache/initrd.img"
    # The disk: a marker in sector 0 the guest prints, the rest zeros.
    # Kept as it is once made (its content never changes).
    if [ ! -s "$cache/disk.qcow2" ]; then
        truncate -s 64M "$tmp/disk.raw"
        printf 'tiny-linux disk image (devstack/libvirt.sh)\n' | \
            dd of="$tmp/disk.raw" conv=notrunc status=none
        qemu-img convert -f raw -O qcow2 "$tmp/disk.raw" "$tmp/disk.qcow2"
        mv "$tmp/disk.qcow2" "$cache/disk.qcow2"
    fi
    rm -rf "$tmp"
    ls -l "$cache"
}

_libvirt_fetch_kernel() {  # _libvirt_fetch_kernel <dir>: vmlinuz, modules/
    local dir=$1 pkg ver m patterns=()
    [ "$(dpkg --print-architecture)" = amd64 ] || {
        echo "only amd64 is supported (linux-image-amd64)"
        return 1
    }
    mkdir -p "$dir/deb" "$dir/root" "$dir/modules"
    # The metapackage names the current kernel package; a stale or missing
    # package list is refreshed once.
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | \
          awk '/Depends: linux-image-[0-9]/ && !n++ {print $2}') || true
    if [ -z "$pkg" ] || ! (cd "$dir/deb" && apt-get download "$pkg"); then
        apt_update
        pkg=$(apt-cache depends linux-image-amd64 | \
              awk '/Depends: linux-image-[0-9]/ && !n++ {print $2}')
        [ -n "$pkg" ] || { echo "apt-cache names no linux-image"; return 1; }
        (cd "$dir/deb" && apt-get download "$pkg")
    fi
    ver=${pkg#linux-image-}
    echo "kernel package $pkg"
    # Only the kernel and the modules (usr-merged or not), not its 400 MB.
    patterns=("*/boot/vmlinuz-$ver")
    for m in $LIBVIRT_GUEST_MODULES; do
        patterns+=("*/modules/$ver/kernel/$m.ko*")
    done
    dpkg-deb --fsys-tarfile "$dir"/deb/*.deb | \
        tar -x -C "$dir/root" --wildcards "${patterns[@]}"
    mv "$(find "$dir/root" -name "vmlinuz-$ver" -print -quit)" "$dir/vmlinuz"
    local f
    for m in $LIBVIRT_GUEST_MODULES; do
        f=$(find "$dir/root" -path "*/modules/$ver/kernel/$m.ko*" -print -quit)
        m=${m##*/}
        [ -n "$f" ] || { echo "module $m is not in $pkg"; return 1; }
        # busybox insmod wants plain .ko files.
        case "$f" in
            *.ko) cp "$f" "$dir/modules/$m.ko" ;;
            *.ko.xz) xz -dc "$f" > "$dir/modules/$m.ko" ;;
            *.ko.zst) zstd -qdc "$f" > "$dir/modules/$m.ko" ;;
            *.ko.gz) gzip -dc "$f" > "$dir/modules/$m.ko" ;;
            *) echo "unknown module format $f"; return 1 ;;
        esac
    done
    echo "$ver" > "$dir/modules/kernel-version"
}

# Upload the test guest to Glance as three images: kernel (aki), ramdisk
# (ari) and the disk (qcow2) that boots with them.
libvirt_upload_test_image() {
    local cache=$NOVA_IMAGE_CACHE_DIR name=$LIBVIRT_TEST_IMAGE_NAME
    local kernel_id ramdisk_id
    kernel_id=$(glance_upload_image "$name-kernel" "$cache/vmlinuz" aki aki)
    ramdisk_id=$(glance_upload_image "$name-ramdisk" "$cache/initrd.img" \
        ari ari)
    glance_upload_image "$name" "$cache/disk.qcow2" qcow2 bare \
        "kernel_id=$kernel_id" "ramdisk_id=$ramdisk_id" \
        "os_command_line=$LIBVIRT_TEST_IMAGE_CMDLINE" >/dev/null
}

# stack.sh, after ensure_venv: settle NOVA_VIRT_DRIVER (libvirt or fake)
# and NOVA_LIBVIRT_TYPE, and bring libvirt up for the libvirt driver.
libvirt_stack() {
    mkdir -p "$NOVA_DATA_DIR"
    NOVA_VIRT_REASON=''
    if [ "$NOVA_VIRT_DRIVER" = auto ] && [ -n "$NOVA_COMPUTE_DRIVER" ]; then
        case "$NOVA_COMPUTE_DRIVER" in
            libvirt.*) NOVA_VIRT_DRIVER=libvirt ;;
            *) NOVA_VIRT_DRIVER=fake ;;
        esac
    fi
    NOVA_LIBVIRT_TYPE=$(nova_libvirt_type)
    case "$NOVA_VIRT_DRIVER" in
        fake) ;;
        libvirt)
            _libvirt_setup
            "$NOVA_VENV/bin/python" -c 'import nova.virt.libvirt' \
                2>/dev/null || say "WARNING: nova.virt.libvirt does not" \
                    "import in $NOVA_VENV: nova-compute will fail to start"
            ;;
        auto)
            # Any failure, with its reason, means the fake driver: run the
            # setup in a subshell where errexit still works (it would not
            # under `if`), and keep the message of its last failure.
            local err rc
            err=$(mktemp)
            set +e
            ( set -e; _libvirt_setup auto ) 2>"$err"
            rc=$?
            set -e
            if [ $rc -eq 0 ]; then
                cat "$err" >&2
                NOVA_VIRT_DRIVER=libvirt
            else
                grep -v '^\s*$' "$err" | head -n -1 >&2 || true
                NOVA_VIRT_DRIVER=fake
                NOVA_VIRT_REASON=$(grep -v '^\s*$' "$err" | tail -n 1 | \
                    sed 's/^\[nova\] \(ERROR: \)\?//')
                say "not using libvirt: ${NOVA_VIRT_REASON:-exit status $rc};" \
                    "using the fake driver (NOVA_VIRT_DRIVER=libvirt makes" \
                    "this an error)"
                # Extra hosts started before the failure are not needed.
                local n
                for ((n = 2; n <= NOVA_COMPUTES; n++)); do
                    libvirt_stop_host "$NOVA_HOST-$n"
                done
            fi
            rm -f "$err"
            ;;
        *) die "NOVA_VIRT_DRIVER must be auto, libvirt or fake, not" \
               "$NOVA_VIRT_DRIVER" ;;
    esac
    # unstack.sh reads it to know what to clean.
    echo "$NOVA_VIRT_DRIVER" > "$NOVA_DATA_DIR/virt-driver"
    # Storage, addresses and sshds of the hosts (devstack/hosts.sh).
    hosts_stack
    if [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
        say "virt driver: libvirt (virt_type $NOVA_LIBVIRT_TYPE)"
    else
        say "virt driver: fake"
    fi
}

_libvirt_setup() {  # _libvirt_setup [auto]
    case "$NOVA_LIBVIRT_TYPE" in
        qemu|kvm) ;;
        *) die "NOVA_LIBVIRT_TYPE must be auto, kvm or qemu, not" \
               "$NOVA_LIBVIRT_TYPE" ;;
    esac
    libvirt_install_packages
    libvirt_install_python
    if [ "${1:-}" = auto ] && ! "$NOVA_VENV/bin/python" -c \
            'import nova.virt.libvirt' 2>/dev/null; then
        die "nova.virt.libvirt does not import in $NOVA_VENV"
    fi
    libvirt_start
    # (Not `virsh | grep -q`: under pipefail virsh's SIGPIPE fails it.)
    local caps
    caps=$(virsh -q -c qemu:///system capabilities 2>/dev/null) || true
    case "$caps" in
        *"<domain type='$NOVA_LIBVIRT_TYPE'"*) ;;
        *) die "libvirt offers no domain type $NOVA_LIBVIRT_TYPE here" ;;
    esac
    _libvirt_warn_foreign_domains
    local n
    for ((n = 2; n <= NOVA_COMPUTES; n++)); do
        libvirt_start_host "$NOVA_HOST-$n"
    done
    if [ "$NOVA_ENABLE_GLANCE" = True ]; then
        libvirt_build_test_image
    fi
}

# Another deployment's domains on the shared libvirtd, named by the same
# template, take the names this one's instances will want.
_libvirt_warn_foreign_domains() {
    local dom xml prefix foreign=()
    prefix=$(_libvirt_name_prefix)
    for dom in $(virsh -q -c qemu:///system list --all --name 2>/dev/null); do
        case "$dom" in "$prefix"*) ;; *) continue ;; esac
        xml=$(virsh -q -c qemu:///system dumpxml --inactive "$dom" \
            2>/dev/null) || continue
        case "$xml" in *"$NOVA_DATA_DIR/instances/"*) ;; *) foreign+=("$dom") ;; esac
    done
    [ ${#foreign[@]} -eq 0 ] || say "WARNING: qemu:///system already has" \
        "${#foreign[@]} domain(s) named $prefix* that are not this" \
        "deployment's (${foreign[*]:0:3}); instances whose names collide" \
        "will fail to start: set NOVA_INSTANCE_NAME_TEMPLATE or remove them"
}

# unstack.sh: nova's domains go from every libvirt stack.sh used (on the
# shared main libvirtd only this deployment's); the extra hosts stop; the
# main libvirtd stays (a machine service).
libvirt_unstack() {
    local dir name
    if [ "$(cat "$NOVA_DATA_DIR/virt-driver" 2>/dev/null)" = libvirt ]; then
        libvirt_cleanup_domains qemu:///system "$NOVA_DATA_DIR/instances/"
    fi
    # The sshds run in the extra hosts' namespaces.
    hosts_unstack
    for dir in "$NOVA_LIBVIRT_HOSTS_DIR"/*/; do
        [ -d "$dir" ] || continue
        name=$(basename "$dir")
        libvirt_cleanup_domains "$(nova_libvirt_host_uri "$name")"
        libvirt_stop_host "$name"
    done
    # After the hosts: the main libvirtd's mounts were in their namespaces.
    hosts_unstack_live_migration
}
