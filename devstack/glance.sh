# Glance, the Image API, for stack.sh and unstack.sh (sourced after lib.sh).
#
# Glance runs from its own virtualenv (its dependencies never meet nova's),
# with a database of the kind NOVA_DB_CONNECTION is (as Keystone's: SQLite
# by default; on MariaDB or PostgreSQL a database of its own on the same
# server), the file store and Keystone's tokens (no authentication with
# NOVA_AUTH_STRATEGY=noauth2), as glance-api under gunicorn
# (Glance no longer ships a standalone server) on 127.0.0.1:$GLANCE_PORT.
# NOVA_ENABLE_GLANCE=False skips all of it.  Every variable can be
# overridden from the environment; NOVA_ENABLE_GLANCE, GLANCE_HOST,
# GLANCE_PORT and GLANCE_ENDPOINT are in lib.sh.

GLANCE_VENV=${GLANCE_VENV:-$STACK_DIR/glance-venv}
GLANCE_PIP_SPEC=${GLANCE_PIP_SPEC:-glance==33.*}
GLANCE_WSGI_PIP_SPEC=${GLANCE_WSGI_PIP_SPEC:-gunicorn==27.*}
GLANCE_CONF_DIR=${GLANCE_CONF_DIR:-/etc/glance}
GLANCE_DATA_DIR=${GLANCE_DATA_DIR:-$STACK_DIR/data/glance}
GLANCE_IMAGE_DIR=${GLANCE_IMAGE_DIR:-$GLANCE_DATA_DIR/images}
GLANCE_DB_CONNECTION=${GLANCE_DB_CONNECTION:-}
# Database drivers for Glance (not its dependencies).
GLANCE_DB_PIP_SPECS=${GLANCE_DB_PIP_SPECS:-PyMySQL psycopg2-binary}
GLANCE_WORKERS=${GLANCE_WORKERS:-1}
GLANCE_THREADS=${GLANCE_THREADS:-8}
# The image uploaded once: GLANCE_TEST_IMAGE_FILE (with its disk format)
# or, by default, 1 MiB of zeros as a raw disk.  An empty name skips it.
# With the libvirt driver only a given file is uploaded: 1 MiB of zeros
# does not boot (stack.sh uploads tiny-linux instead, devstack/libvirt.sh).
GLANCE_TEST_IMAGE_NAME=${GLANCE_TEST_IMAGE_NAME-cirros-test}
GLANCE_TEST_IMAGE_FILE=${GLANCE_TEST_IMAGE_FILE:-}
GLANCE_TEST_IMAGE_DISK_FORMAT=${GLANCE_TEST_IMAGE_DISK_FORMAT:-raw}

glance_ensure_venv() {
    # shellcheck disable=SC2086
    ensure_service_venv glance "$GLANCE_VENV" "$LOGDIR/g-install.log" \
        glance glance-manage "$GLANCE_PIP_SPEC" "$GLANCE_WSGI_PIP_SPEC" \
        $GLANCE_DB_PIP_SPECS
}

# Glance's database URL: GLANCE_DB_CONNECTION, else SQLite when nova's is
# SQLite, else a database named after nova's on the same server (nova ->
# glance, <name> -> <name>_glance), created when missing.  On SQLite
# concurrent uploads got 500 "database is locked" from Glance: a server
# database has no such limit.
glance_db_url() {
    service_db_url glance "$GLANCE_DATA_DIR" "$GLANCE_DB_CONNECTION"
}

# What makes SQLite's locks less in the way, for the [database] section.
# One writer at a time stays the rule: a transaction that read and then
# writes while another writes fails at once, whatever the timeout; nova's
# Image API client retries those 500s ([glance] num_retries).  Not
# sqlite_synchronous = False: a crash of the host could corrupt the file.
glance_sqlite_options() {
    # A writer waits up to 30 s for another's lock (sqlite3's own default
    # is 5 s) instead of answering 500.
    echo "connection_parameters = timeout=30"
}

# Write-ahead logging, kept in the file: readers no longer block a writer's
# commit (nor it them), so each write holds the lock for less time.
glance_sqlite_wal() {  # glance_sqlite_wal <url>
    "$GLANCE_VENV/bin/python" - "${1#sqlite:///}" <<'PY'
import sqlite3, sys
with sqlite3.connect(sys.argv[1]) as conn:
    mode = conn.execute('PRAGMA journal_mode=WAL').fetchone()[0]
if mode != 'wal':
    sys.exit('journal_mode is %s, not wal' % mode)
PY
}

glance_configure() {
    local db_url=$1
    local paste="$GLANCE_VENV/etc/glance/glance-api-paste.ini"
    [ -f "$paste" ] || die "$paste is missing: is $GLANCE_VENV a Glance venv?"
    mkdir -p "$GLANCE_CONF_DIR" "$GLANCE_IMAGE_DIR" \
        "$GLANCE_DATA_DIR/staging" "$GLANCE_DATA_DIR/tasks" \
        "$GLANCE_DATA_DIR/locks" "$LOGDIR" "$NOVA_PID_DIR"
    # It may hold a database password: readable by its owner only.
    ( umask 077; cat > "$GLANCE_CONF_DIR/glance-api.conf" ) <<CONF
# Written by devstack/stack.sh; rewritten on every run.
[DEFAULT]
debug = $NOVA_DEBUG
log_file = $LOGDIR/g-api.log
use_stderr = False
enabled_backends = file:file

[database]
connection = $db_url
$(case "$db_url" in sqlite*) glance_sqlite_options ;; esac)

[glance_store]
default_backend = file

[file]
filesystem_store_datadir = $GLANCE_IMAGE_DIR/

[os_glance_staging_store]
filesystem_store_datadir = $GLANCE_DATA_DIR/staging/

[os_glance_tasks_store]
filesystem_store_datadir = $GLANCE_DATA_DIR/tasks/

[oslo_concurrency]
lock_path = $GLANCE_DATA_DIR/locks

[oslo_policy]
policy_file = $GLANCE_CONF_DIR/policy.yaml

[paste_deploy]
config_file = $paste
CONF
    chmod 600 "$GLANCE_CONF_DIR/glance-api.conf"
    if [ "$NOVA_AUTH_STRATEGY" = keystone ]; then
        # authtoken + context: Glance validates tokens against Keystone, and
        # nova's service token lets an upload outlive the user's token.
        cat >> "$GLANCE_CONF_DIR/glance-api.conf" <<CONF
flavor = keystone

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_AUTH_URL
service_token_roles_required = true
service_type = image
$(keystone_service_auth glance)
CONF
        cat > "$GLANCE_CONF_DIR/policy.yaml" <<'POLICY'
# Written by devstack/stack.sh: Glance's own defaults (Keystone roles).
{}
POLICY
        return 0
    fi
    # No flavor: the "default" pipeline of glance-api-paste.ini, with the
    # unauthenticated-context filter instead of authtoken + context.
    echo "flavor =" >> "$GLANCE_CONF_DIR/glance-api.conf"
    # The unauthenticated context is an admin without roles, which Glance's
    # role-based defaults refuse: make it pass the admin and service checks.
    cat > "$GLANCE_CONF_DIR/policy.yaml" <<'POLICY'
# Written by devstack/stack.sh: no Keystone, every caller is the admin.
"context_is_admin": ""
"service_api": ""
POLICY
}

glance_db_sync() {
    local db_url=$1
    say "syncing Glance's database ($(echo "$db_url" | sed 's/:[^:@/]*@/:***@/'))"
    case "$db_url" in
        sqlite*) ;;
        *) keystone_create_database "$db_url" >>"$LOGDIR/g-manage.log" 2>&1 \
               || die "creating Glance's database failed; see" \
                      "$LOGDIR/g-manage.log" ;;
    esac
    "$GLANCE_VENV/bin/glance-manage" \
        --config-file "$GLANCE_CONF_DIR/glance-api.conf" db_sync \
        >>"$LOGDIR/g-manage.log" 2>&1 || \
        die "glance-manage db_sync failed; see $LOGDIR/g-manage.log"
    # The metadata definitions (Horizon's Update Metadata dialog and Images
    # page need them): a namespace already there is left as it is.
    "$GLANCE_VENV/bin/glance-manage" \
        --config-file "$GLANCE_CONF_DIR/glance-api.conf" db_load_metadefs \
        "$GLANCE_VENV/etc/glance/metadefs" >>"$LOGDIR/g-manage.log" 2>&1 || \
        die "glance-manage db_load_metadefs failed; see $LOGDIR/g-manage.log"
    case "$db_url" in
        sqlite*) glance_sqlite_wal "$db_url" >>"$LOGDIR/g-manage.log" 2>&1 \
                     || die "setting Glance's SQLite to WAL failed; see" \
                            "$LOGDIR/g-manage.log" ;;
    esac
}

glance_start() {
    local pidfile="$NOVA_PID_DIR/g-api.pid"
    if pid_alive "$pidfile"; then
        say "glance-api is already running (pid $(cat "$pidfile"))"
        return 0
    fi
    if port_open "$GLANCE_HOST" "$GLANCE_PORT"; then
        die "$GLANCE_HOST:$GLANCE_PORT is taken by a process stack.sh did" \
            "not start; set GLANCE_PORT"
    fi
    # The access log line carries the caller's X-OpenStack-Request-ID (the
    # noauth pipeline does not take it into Glance's context) and Glance's.
    local access='%(h)s "%(r)s" status: %(s)s len: %(B)s time: %(L)ss'
    access+=' request-id: %({x-openstack-request-id}i)s'
    access+=' glance-request-id: %({x-openstack-request-id}o)s'
    OS_GLANCE_CONFIG_DIR="$GLANCE_CONF_DIR" nohup \
        "$GLANCE_VENV/bin/gunicorn" --no-control-socket \
        --bind "$GLANCE_HOST:$GLANCE_PORT" --workers "$GLANCE_WORKERS" \
        --worker-class gthread --threads "$GLANCE_THREADS" \
        --timeout 300 --graceful-timeout 10 \
        --access-logfile "$LOGDIR/g-api.log" \
        --access-logformat "$access" \
        glance.wsgi.api:application >>"$LOGDIR/g-api.out" 2>&1 &
    echo $! > "$pidfile"
    say "started glance-api (pid $!), log $LOGDIR/g-api.log"
}

glance_up() {
    "$GLANCE_VENV/bin/python" - "$GLANCE_ENDPOINT" <<'PY'
import sys, urllib.error, urllib.request
try:  # any HTTP answer (behind Keystone: 401) means it serves
    urllib.request.urlopen(sys.argv[1] + '/v2/images?limit=1', timeout=2)
except urllib.error.HTTPError:
    pass
except Exception:
    sys.exit(1)
PY
}

glance_wait() {
    local i
    for ((i = 0; i < 120; i++)); do
        if ! pid_alive "$NOVA_PID_DIR/g-api.pid"; then
            tail -n 30 "$LOGDIR/g-api.out" >&2 || true
            die "glance-api exited; see $LOGDIR/g-api.out and g-api.log"
        fi
        if glance_up; then return 0; fi
        sleep 0.5
    done
    die "timed out after 60s waiting for glance-api at $GLANCE_ENDPOINT"
}

# Upload one image unless an active one of that name, with the same content
# and properties, is there; print its id.  An empty FILE is 1 MiB of zeros.
glance_upload_image() {  # NAME FILE DISK_FORMAT CONTAINER_FORMAT [KEY=VALUE]...
    GLANCE_UPLOAD_TOKEN=$(glance_upload_token) \
        "$GLANCE_VENV/bin/python" - "$GLANCE_ENDPOINT" "$@" <<'PY'
import hashlib, io, json, os, sys, urllib.parse, urllib.request

endpoint, name, path, disk_format, container_format = sys.argv[1:6]
token = os.environ.get('GLANCE_UPLOAD_TOKEN')
properties = dict(arg.split('=', 1) for arg in sys.argv[6:])


def call(method, url, body=None, content_type='application/json',
         length=None):
    headers = {'Content-Type': content_type}
    if token:
        headers['X-Auth-Token'] = token
    if length is not None:
        headers['Content-Length'] = str(length)
    req = urllib.request.Request(endpoint + url, data=body, method=method,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=60) as resp:
        data = resp.read()
    return json.loads(data) if data else None


def say(message):
    print('[nova] ' + message, file=sys.stderr)


def content():  # a blank 1 MiB disk unless a file is given
    return open(path, 'rb') if path else io.BytesIO(bytes(1024 * 1024))


md5 = hashlib.md5(usedforsecurity=False)  # Glance's "checksum"
with content() as f:
    for chunk in iter(lambda: f.read(1 << 20), b''):
        md5.update(chunk)
checksum = md5.hexdigest()

found = call('GET', '/v2/images?' + urllib.parse.urlencode({'name': name}))
for image in found['images']:
    if (image['status'] == 'active' and image.get('checksum') == checksum
            and image['disk_format'] == disk_format
            and all(image.get(k) == v for k, v in properties.items())):
        say('image %s is in Glance (%s)' % (name, image['id']))
        print(image['id'])
        sys.exit(0)
for image in found['images']:  # stale, or left by an interrupted run
    call('DELETE', '/v2/images/%s' % image['id'])
image = call('POST', '/v2/images', json.dumps(dict(
    properties, name=name, disk_format=disk_format,
    container_format=container_format, visibility='public')).encode())
with content() as f:
    size = f.seek(0, io.SEEK_END)
    f.seek(0)
    call('PUT', '/v2/images/%s/file' % image['id'], f,
         'application/octet-stream', size)
image = call('GET', '/v2/images/%s' % image['id'])
if image['status'] != 'active':
    sys.exit('[nova] ERROR: image %s is %s' % (name, image['status']))
say('uploaded image %s (%s, %d bytes)' % (name, image['id'], image['size']))
print(image['id'])
PY
}

glance_upload_token() {  # a fresh one of admin's; none without Keystone
    [ "$NOVA_AUTH_STRATEGY" = keystone ] || return 0
    keystone_token admin admin
}

glance_upload_test_image() {
    [ -n "$GLANCE_TEST_IMAGE_NAME" ] || return 0
    glance_upload_image "$GLANCE_TEST_IMAGE_NAME" "$GLANCE_TEST_IMAGE_FILE" \
        "$GLANCE_TEST_IMAGE_DISK_FORMAT" bare >/dev/null
}

# stack.sh, before nova's services: install, configure and start Glance
# (it boots while nova's services do).
glance_stack() {
    if [ "$NOVA_ENABLE_GLANCE" != True ]; then
        say "Glance is disabled (NOVA_ENABLE_GLANCE=$NOVA_ENABLE_GLANCE)"
        return 0
    fi
    glance_ensure_venv
    local db_url
    db_url=$(glance_db_url)
    glance_configure "$db_url"
    if pid_alive "$NOVA_PID_DIR/g-api.pid"; then
        say "glance-api is already running (pid" \
            "$(cat "$NOVA_PID_DIR/g-api.pid")): not syncing its database"
        return 0
    fi
    glance_db_sync "$db_url"
    glance_start
}

# stack.sh, after nova's services: wait for Glance, upload the test image
# (for the libvirt driver the bootable tiny-linux, devstack/libvirt.sh,
# and the test image only when it is a file of the user's).
glance_stack_finish() {
    [ "$NOVA_ENABLE_GLANCE" = True ] || return 0
    glance_wait
    if [ "$NOVA_VIRT_DRIVER" != libvirt ] || \
            [ -n "$GLANCE_TEST_IMAGE_FILE" ]; then
        glance_upload_test_image
    fi
    if [ "$NOVA_VIRT_DRIVER" = libvirt ]; then
        libvirt_upload_test_image
    fi
    say "Glance is up at $GLANCE_ENDPOINT"
}

# unstack.sh: stop glance-api if stack.sh started it (its pid file).
glance_stop() {
    stop_services g-api
}
