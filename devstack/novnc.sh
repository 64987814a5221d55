# nova-novncproxy: guests' VNC consoles in a browser (noVNC), for
# stack.sh, unstack.sh and tempest.sh (sourced after lib.sh).
#
# The proxy serves the distribution's noVNC (Debian's novnc package, in
# /usr/share/novnc, installed when missing) and proxies each websocket to
# a guest's VNC server once nova-conductor has vouched for its console
# token.  It runs as service n-novnc, log n-novnc.log.  The guests listen
# on 127.0.0.1 of the main compute host; an extra libvirt compute lives in
# a network namespace of its own, so its guests listen on its address on
# the hosts' bridge (devstack/hosts.sh), which the proxy reaches
# (nova-cpu-N.conf's [vnc]); a guest that moves live listens on its new
# host's address there.
#
# Settings: NOVA_NOVNC_ENABLED (True), NOVA_NOVNC_HOST (NOVA_API_HOST: what
# it listens on and browsers reach), NOVA_NOVNC_PORT (6080; deployments
# sharing the machine need one each), NOVA_NOVNC_WEB (/usr/share/novnc),
# NOVA_NOVNC_BASE_URL (the page consoles open; default
# http://NOVA_NOVNC_HOST:NOVA_NOVNC_PORT/ and vnc_lite.html where noVNC has
# it (1.0 on), else vnc_auto.html: Debian's vnc_auto.html is noVNC's full
# app, which waits for a Connect click inside Horizon's Console tab).

NOVA_NOVNC_ENABLED=${NOVA_NOVNC_ENABLED:-True}
NOVA_NOVNC_HOST=${NOVA_NOVNC_HOST:-$NOVA_API_HOST}
NOVA_NOVNC_PORT=${NOVA_NOVNC_PORT:-6080}
NOVA_NOVNC_WEB=${NOVA_NOVNC_WEB:-/usr/share/novnc}
NOVA_NOVNC_BASE_URL=${NOVA_NOVNC_BASE_URL:-}

novnc_enabled() { [ "$NOVA_NOVNC_ENABLED" = True ]; }

novnc_base_url() {
    local page=vnc_auto.html
    if [ -n "$NOVA_NOVNC_BASE_URL" ]; then
        echo "$NOVA_NOVNC_BASE_URL"
        return
    fi
    [ ! -f "$NOVA_NOVNC_WEB/vnc_lite.html" ] || page=vnc_lite.html
    echo "http://$NOVA_NOVNC_HOST:$NOVA_NOVNC_PORT/$page"
}

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
novncproxy_base_url = $(novnc_base_url)
novncproxy_host = $NOVA_NOVNC_HOST
novncproxy_port = $NOVA_NOVNC_PORT
web = $NOVA_NOVNC_WEB
CONF
}

write_novnc_extra_compute_config() {  # N: nova-cpu-N.conf, see above
    local addr
    [ "$NOVA_VIRT_DRIVER" = libvirt ] && novnc_enabled || return 0
    addr=$(hosts_addr "$1")
    printf '\n[vnc]\nserver_listen = %s\nserver_proxyclient_address = %s\n' \
        "$addr" "$addr"
}

novnc_up() {
    "$NOVA_VENV/bin/python" - "$(novnc_base_url)" <<'PY'
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
    wait_for 30 "nova-novncproxy at $(novnc_base_url)" novnc_up
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
