#!/bin/busybox sh
# /init of the tiny-linux test guest (devstack/libvirt.sh builds it into an
# initramfs with a static busybox and a few virtio/ACPI modules).
#
# Everything it prints goes to the serial console, where tests read it:
#   tiny-linux: disk vda sectors=131072 first-bytes=<text of sector 0>
#   tiny-linux: boot 3                  (the counter it keeps on vda)
#   tiny-linux: rescue mode ...         (kernel command line has rescue=1)
#   tiny-linux: ready                   (once it would honour an ACPI power-off)
# The counter lives at sector 2048 (1 MiB) of /dev/vda, past the image's own
# marker, so snapshots, rebuilds, resizes and migrations can be told apart.
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /etc/acpi/PWRF

say() { echo "tiny-linux: $*"; }

say "kernel $(uname -r), cmdline: $(cat /proc/cmdline)"
# Dependency order (the kernel package has no modules.dep we could use).
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
        virtio_pci virtio_blk evdev button; do
    insmod "/lib/modules/$m.ko" 2>/dev/null || say "insmod $m failed"
done
# virtio-blk disks appear asynchronously after the PCI probe.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
say "cpus=$(nproc) mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"

text_at() {  # text_at <device> <sector> <bytes>: as printable text
    # (busybox tr -c mishandles classes: sed does the non-printables)
    dd if="$1" bs=512 skip="$2" count=1 2>/dev/null | head -c "$3" |
        tr '\000\t\r\n' '    ' | sed 's/[^[:print:]]/ /g; s/ *$//'
}
counter() {  # counter <device>: the boot counter, 0 when unset
    text_at "$1" 2048 64 | sed -n 's/.*tiny-linux boots=\([0-9]*\).*/\1/p'
}

for d in /sys/block/vd*; do
    [ -e "$d" ] || continue
    n=${d##*/}
    say "disk $n sectors=$(cat "$d/size") first-bytes=$(text_at "/dev/$n" 0 64)"
done

if grep -qw 'rescue=1' /proc/cmdline; then
    say "rescue mode: not touching the disks"
    if [ -b /dev/vdb ]; then
        c=$(counter /dev/vdb)
        say "vdb boots=${c:-0}"
    fi
elif [ -b /dev/vda ]; then
    c=$(counter /dev/vda)
    c=$(( ${c:-0} + 1 ))
    printf 'tiny-linux boots=%d\n' "$c" |
        dd of=/dev/vda bs=512 seek=2048 count=1 conv=notrunc,sync 2>/dev/null
    sync
    say "boot $c"
else
    say "no /dev/vda"
fi

# ACPI power button (libvirt's shutdown) -> power off at once.  acpid only
# sees the button through evdev's /dev/input/event*.
cat > /etc/acpi/PWRF/00000080 <<'EOF'
#!/bin/sh
echo "tiny-linux: ACPI power button, powering off" > /dev/console
sync
poweroff -f
EOF
chmod +x /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log

# The network: each ethernet interface asks DHCP for its address and one
# line says what came ("tiny-linux: lease eth0 ip=... router=... mask=..."
# or "tiny-linux: no lease eth0"); no wait without a NIC.  After acpid, so
# a power-off works meanwhile (devstack/libvirt.sh writes the script).
/bin/tiny-linux-net

say "ready"

# PID 1 must never exit (panic=-1 would reboot the guest).
i=0
while true; do
    sleep 30
    i=$((i + 1))
    say "tick $i uptime=$(cut -d' ' -f1 /proc/uptime)"
done
