# nova-novncproxy: guests' VNC consoles in a browser (noVNC), for
# stack.sh, unstack.sh and tempest.sh (sourced after lib.sh).
#
# The proxy serves the distribution's noVNC (Debian's novnc package, in
# /usr/share/novnc, installed when missing) and proxies each websocket to
# a guest's VNC server once nova-conductor has vouched for its console
# token.  It runs as service n-novnc, log n-novnc.log.  The guests listen
# on 127.0.0.1 of the main compute host; the extra libvirt computes live in
# network namespaces of their own, which the proxy cannot reach, so their
# guests have no VNC console (nova-cpu-N.conf: [vnc] enabled = False).
#
# Settings: NOVA_NOVNC_ENABLED (True), NOVA_NOVNC_HOST (NOVA_API_HOST: what
# it listens on and browsers reach), NOVA_NOVNC_PORT (6080; deployments
# sharing the machine need one each), NOVA_NOVNC_WEB (/usr/share/novnc),
# NOVA_NOVNC_BASE_URL (the page consoles open; default
# http://NOVA_NOVNC_HOST:NOVA_NOVNC_PORT/vnc_auto.html).

NOVA_NOVNC_ENABLED=${NOVA_NOVNC_ENABLED:-True}
NOVA_NOVNC_HOST=${NOVA_NOVNC_HOST:-$NOVA_API_HOST}
NOVA_NOVNC_PORT=${NOVA_NOVNC_PORT:-6080}
NOVA_NOVNC_WEB=${NOVA_NOVNC_WEB:-/usr/share/novnc}
NOVA_NOVNC_BASE_URL=${NOVA_NOVNC_BASE_URL:-http://$NOVA_NOVNC_HOST:$NOVA_NOVNC_PORT/vnc_auto.html}

novnc_enabled() { [ "$NOVA_NOVNC_ENABLED" = True ]; }

novnc_install() {
    novnc_enabled || return 0
    if [ ! -f "$NOVA_NOVNC_WEB/vnc_auto.html" ] && \
            [ ! -f "$NOVA_NOVNC_WEB/vnc_lite.html" ]; then
        [ "$NOVA_NOVNC_WEB" = /usr/share/novnc ] || \
            die "no noVNC files in NOVA_NOVNC_WEB=$NOVA_NOVNC_WEB"
        say "installing noVNC (the novnc package)"
        apt_install novnc
    fi
}

write_novnc_config() {  # nova.conf's [vnc], appended by write_config
    local enabled=False
    novnc_enabled && enabled=True
    cat <<CONF

[vnc]
enabled = $enabled
server_listen = 127.0.0.1
server_proxyclient_address = 127.0.0.1
novncproxy_base_url = $NOVA_NOVNC_BASE_URL
novncproxy_host = $NOVA_NOVNC_HOST
novncproxy_port = $NOVA_NOVNC_PORT
web = $NOVA_NOVNC_WEB
CONF
}

write_novnc_extra_compute_config() {  # nova-cpu-N.conf: see above
    [ "$NOVA_VIRT_DRIVER" = libvirt ] || return 0
    printf '\n[vnc]\n# A guest in this host'"'"'s namespace is out of the proxy'"'"'s reach.\nenabled = False\n'
}

novnc_up() {
    "$NOVA_VENV/bin/python" - "$NOVA_NOVNC_BASE_URL" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except Exception:
    sys.exit(1)
PY
}

novnc_start() {
    novnc_enabled || return 0
    start_service n-novnc nova-novncproxy
    wait_for 30 "nova-novncproxy at $NOVA_NOVNC_BASE_URL" novnc_up
}

# Tempest's [compute-feature-enabled] vnc_console: its test_novnc reads
# the RFB banner of a real guest, which the fake driver has not, nor a
# guest on an extra libvirt compute (no console there).
novnc_tempest_enabled() {
    if novnc_enabled && grep -q '^compute_driver = libvirt' "$NOVA_CONF" \
            2>/dev/null && ! cat "$NOVA_CONF_DIR"/nova-cpu-*.conf \
            2>/dev/null | grep -q '^enabled = False'; then
        echo true
    else
        echo false
    fi
}
