# Horizon, the dashboard, for stack.sh and unstack.sh (sourced after lib.sh
# and keystone.sh).
#
# Horizon runs from its own virtualenv (Django and the clients it pins never
# meet nova's), configured for the deployment's Keystone, with its static
# files collected and compressed ahead (DEBUG off, as in production), under
# gunicorn on $HORIZON_HOST:$HORIZON_PORT.  gunicorn does not serve files:
# devstack/files/horizon_wsgi.py puts a small static-file handler in front of
# Django for /static/.  Sessions live in a file cache, so a restart keeps
# the users logged in.  NOVA_ENABLE_HORIZON=False skips all of it; it needs
# Keystone (NOVA_AUTH_STRATEGY=keystone).  Every variable can be overridden
# from the environment.

NOVA_ENABLE_HORIZON=${NOVA_ENABLE_HORIZON:-True}
HORIZON_VENV=${HORIZON_VENV:-$STACK_DIR/horizon-venv}
# Horizon 27 is of the same series (2026.2) as Keystone 29 and Glance 33.
HORIZON_PIP_SPEC=${HORIZON_PIP_SPEC:-horizon==27.*}
HORIZON_WSGI_PIP_SPEC=${HORIZON_WSGI_PIP_SPEC:-gunicorn==27.*}
HORIZON_HOST=${HORIZON_HOST:-127.0.0.1}
HORIZON_PORT=${HORIZON_PORT:-8080}
HORIZON_URL=${HORIZON_URL:-http://$HORIZON_HOST:$HORIZON_PORT/}
HORIZON_DATA_DIR=${HORIZON_DATA_DIR:-$STACK_DIR/data/horizon}
HORIZON_THREADS=${HORIZON_THREADS:-4}

horizon_enabled() {
    [ "$NOVA_ENABLE_HORIZON" = True ] && [ "$NOVA_AUTH_STRATEGY" = keystone ]
}

horizon_ensure_venv() {
    ensure_service_venv horizon "$HORIZON_VENV" "$LOGDIR/h-install.log" \
        openstack_dashboard django-admin "$HORIZON_PIP_SPEC" \
        "$HORIZON_WSGI_PIP_SPEC"
}

horizon_package_dir() {
    "$HORIZON_VENV/bin/python" -c \
        'import os, openstack_dashboard as d; print(os.path.dirname(d.__file__))'
}

# local_settings.py lives in the package (Horizon imports it from there).
horizon_configure() {
    local package settings
    package=$(horizon_package_dir) || die "no openstack_dashboard in $HORIZON_VENV"
    settings="$package/local/local_settings.py"
    mkdir -p "$HORIZON_DATA_DIR/static" "$HORIZON_DATA_DIR/cache" "$LOGDIR"
    # A key of its own, kept across runs so sessions survive a restack.
    if [ ! -s "$HORIZON_DATA_DIR/secret_key" ]; then
        ( umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(48))' \
            > "$HORIZON_DATA_DIR/secret_key" )
    fi
    cat > "$settings" <<SETTINGS
# Written by devstack/stack.sh; rewritten on every run.
import os

DEBUG = False
ALLOWED_HOSTS = ['*']
WEBROOT = '/'
with open('$HORIZON_DATA_DIR/secret_key') as _key:
    SECRET_KEY = _key.read().strip()
LOCAL_PATH = '$HORIZON_DATA_DIR'
STATIC_ROOT = '$HORIZON_DATA_DIR/static'
STATIC_URL = '/static/'
COMPRESS_ROOT = STATIC_ROOT
COMPRESS_OFFLINE = True
COMPRESS_ENABLED = True

OPENSTACK_HOST = '$KEYSTONE_HOST'
OPENSTACK_KEYSTONE_URL = '$KEYSTONE_AUTH_URL'
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'
OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = False
OPENSTACK_API_VERSIONS = {'identity': 3, 'compute': 2, 'image': 2}
OPENSTACK_ENDPOINT_TYPE = 'publicURL'

SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache',
        'LOCATION': '$HORIZON_DATA_DIR/cache',
    },
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_TIMEOUT = 36000
TIME_ZONE = 'UTC'

# No routers, floating IPs or quotas of Neutron's in this deployment.
OPENSTACK_NEUTRON_NETWORK = {
    'enable_router': False,
    'enable_quotas': False,
    'enable_distributed_router': False,
    'enable_ha_router': False,
    'enable_fip_topology_check': False,
}
OPENSTACK_CINDER_FEATURES = {'enable_backup': False}
OPENSTACK_HYPERVISOR_FEATURES = {
    'can_set_mount_point': False,
    'can_set_password': False,
    'requires_keypair': False,
    'enable_quotas': True,
}

# Every request Horizon sends (keystoneauth and novaclient at DEBUG) lands
# in h-dash.log: the way to see what a click asked of the APIs.
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'formatters': {
        'plain': {'format': '%(asctime)s %(levelname)s %(name)s %(message)s'},
    },
    'handlers': {
        'file': {
            'class': 'logging.FileHandler',
            'filename': '$LOGDIR/h-dash.log',
            'formatter': 'plain',
        },
    },
    'root': {'handlers': ['file'], 'level': 'INFO'},
    'loggers': {
        'keystoneauth': {'level': 'DEBUG'},
        'novaclient': {'level': 'DEBUG'},
        'django.request': {'level': 'INFO'},
    },
}
SETTINGS
}

horizon_admin() {  # django-admin with Horizon's settings
    DJANGO_SETTINGS_MODULE=openstack_dashboard.settings \
        "$HORIZON_VENV/bin/django-admin" "$@"
}

# DEBUG off means Django serves no static file and renders pages from the
# offline compression manifest: both are made ahead, and again when the
# settings or Horizon change (a marker of both).
horizon_collect_static() {
    local marker="$HORIZON_DATA_DIR/static/.nova-collected" want
    want="$(cat "$HORIZON_VENV/.nova-horizon") $(md5sum < \
        "$(horizon_package_dir)/local/local_settings.py")"
    if [ "$(cat "$marker" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    local started=$SECONDS
    say "collecting and compressing Horizon's static files (log $LOGDIR/h-static.log)"
    { horizon_admin collectstatic --noinput --clear && \
          horizon_admin compress --force; } >"$LOGDIR/h-static.log" 2>&1 || \
        die "Horizon's collectstatic/compress failed; see $LOGDIR/h-static.log"
    echo "$want" > "$marker"
    say "Horizon's static files are ready in $((SECONDS - started))s"
}

horizon_start() {
    local pidfile="$NOVA_PID_DIR/h-dash.pid"
    if pid_alive "$pidfile"; then
        say "Horizon is already running (pid $(cat "$pidfile"))"
        return 0
    fi
    if port_open "$HORIZON_HOST" "$HORIZON_PORT"; then
        die "$HORIZON_HOST:$HORIZON_PORT is taken by a process stack.sh did" \
            "not start; set HORIZON_PORT"
    fi
    mkdir -p "$NOVA_PID_DIR"
    HORIZON_STATIC_ROOT="$HORIZON_DATA_DIR/static" \
    DJANGO_SETTINGS_MODULE=openstack_dashboard.settings nohup \
        "$HORIZON_VENV/bin/gunicorn" --no-control-socket \
        --bind "$HORIZON_HOST:$HORIZON_PORT" --workers 1 \
        --worker-class gthread --threads "$HORIZON_THREADS" \
        --timeout 300 --graceful-timeout 10 \
        --pythonpath "$NOVA_DIR/devstack/files" \
        --access-logfile "$LOGDIR/h-dash-access.log" \
        horizon_wsgi:application >>"$LOGDIR/h-dash.out" 2>&1 &
    echo $! > "$pidfile"
    say "started Horizon (pid $!), log $LOGDIR/h-dash.log"
}

horizon_up() {  # the log-in page answers 200
    python3 - "${HORIZON_URL}auth/login/" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=300) as resp:
        sys.exit(0 if resp.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

# The first page imports every panel (tens of seconds here): done now, not
# in the user's first click.
horizon_wait() {
    local i
    for ((i = 0; i < 240; i++)); do
        if ! pid_alive "$NOVA_PID_DIR/h-dash.pid"; then
            tail -n 30 "$LOGDIR/h-dash.out" >&2 || true
            die "Horizon exited; see $LOGDIR/h-dash.out and h-dash.log"
        fi
        if horizon_up; then return 0; fi
        sleep 0.5
    done
    die "timed out waiting for Horizon at $HORIZON_URL"
}

# stack.sh, before nova's services: install, configure, collect, start.
horizon_stack() {
    if ! horizon_enabled; then
        say "Horizon is disabled (NOVA_ENABLE_HORIZON=$NOVA_ENABLE_HORIZON," \
            "auth $NOVA_AUTH_STRATEGY)"
        return 0
    fi
    horizon_ensure_venv
    horizon_configure
    horizon_collect_static
    horizon_start
}

# stack.sh, at the end: its log-in page answers.
horizon_stack_finish() {
    horizon_enabled || return 0
    horizon_wait
    say "Horizon is up at $HORIZON_URL"
}

horizon_summary() {  # the dashboard line of stack.sh's summary
    if horizon_enabled; then
        echo "$HORIZON_URL (log in as demo or admin, password in $CLOUDS_YAML)"
    else
        echo "disabled"
    fi
}

# unstack.sh: stop Horizon if stack.sh started it (its pid file).
horizon_stop() {
    stop_services h-dash
}
