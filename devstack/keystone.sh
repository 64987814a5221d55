# Keystone, the Identity API, for stack.sh and unstack.sh (sourced after
# lib.sh).
#
# Keystone runs from its own virtualenv, as keystone.wsgi.api under
# gunicorn on $KEYSTONE_HOST:$KEYSTONE_PORT, with fernet tokens and its
# database of the kind NOVA_DB_CONNECTION is (SQLite by default; on MariaDB
# or PostgreSQL a database of its own on the same server).  stack.sh
# bootstraps it (admin, the roles reader < member < manager < admin,
# service), adds the projects demo, alt_demo and service, the users demo,
# demo-reader, alt_demo, nova and glance (and neutron), and the compute and
# image (and network) services of the catalog; nova-api, Glance (and
# Neutron, devstack/neutron.sh) validate tokens against it.
# NOVA_AUTH_STRATEGY=noauth2 skips all of it.  KEYSTONE_HOST,
# KEYSTONE_PORT, KEYSTONE_AUTH_URL, REGION_NAME, ADMIN_PASSWORD and
# SERVICE_PASSWORD are in lib.sh.

KEYSTONE_VENV=${KEYSTONE_VENV:-$STACK_DIR/keystone-venv}
KEYSTONE_PIP_SPEC=${KEYSTONE_PIP_SPEC:-keystone==30.*}
KEYSTONE_WSGI_PIP_SPEC=${KEYSTONE_WSGI_PIP_SPEC:-gunicorn==27.*}
# Database drivers for keystone (not its dependencies).
KEYSTONE_DB_PIP_SPECS=${KEYSTONE_DB_PIP_SPECS:-PyMySQL psycopg2-binary}
KEYSTONE_CONF_DIR=${KEYSTONE_CONF_DIR:-/etc/keystone}
KEYSTONE_DATA_DIR=${KEYSTONE_DATA_DIR:-$STACK_DIR/data/keystone}
KEYSTONE_DB_CONNECTION=${KEYSTONE_DB_CONNECTION:-}
# Seconds a token lives (Keystone's [token] expiration).
KEYSTONE_TOKEN_EXPIRATION=${KEYSTONE_TOKEN_EXPIRATION:-3600}
# gunicorn workers: one on SQLite (two writers lock it: Tempest's dynamic
# credentials got "database is locked"), KEYSTONE_WORKERS otherwise.
KEYSTONE_WORKERS=${KEYSTONE_WORKERS:-2}

keystone_conf() { echo "$KEYSTONE_CONF_DIR/keystone.conf"; }

keystone_ensure_venv() {
    # shellcheck disable=SC2086
    ensure_service_venv keystone "$KEYSTONE_VENV" "$LOGDIR/k-install.log" \
        keystone keystone-manage "$KEYSTONE_PIP_SPEC" \
        "$KEYSTONE_WSGI_PIP_SPEC" $KEYSTONE_DB_PIP_SPECS
}

# Keystone's database URL: KEYSTONE_DB_CONNECTION, else SQLite when nova's
# is SQLite, else a database named after nova's on the same server
# (nova -> keystone, <name> -> <name>_keystone), created when missing.
keystone_db_url() {
    service_db_url keystone "$KEYSTONE_DATA_DIR" "$KEYSTONE_DB_CONNECTION"
}

# (Glance's database too, devstack/glance.sh.)
keystone_create_database() {  # keystone_create_database <url>
    case "$1" in sqlite*) return 0 ;; esac
    "$NOVA_VENV/bin/python" - "$1" <<'PY'
import sys
import sqlalchemy as sa
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1])
name = url.database
# The server's own database to connect to (None would keep the URL's).
server = url.set(database='postgres' if url.get_backend_name() ==
                 'postgresql' else '', query={})
engine = sa.create_engine(server, isolation_level='AUTOCOMMIT')
with engine.connect() as conn:
    if url.get_backend_name() == 'postgresql':
        found = conn.execute(sa.text(
            'SELECT 1 FROM pg_database WHERE datname = :n'), {'n': name})
        if found.first() is None:
            conn.execute(sa.text('CREATE DATABASE "%s"' % name))
    else:
        conn.execute(sa.text('CREATE DATABASE IF NOT EXISTS `%s` '
                             'CHARACTER SET utf8mb4' % name))
engine.dispose()
PY
}

keystone_configure() {
    local db_url=$1
    mkdir -p "$KEYSTONE_CONF_DIR" "$KEYSTONE_DATA_DIR" "$LOGDIR" \
        "$NOVA_PID_DIR"
    # It holds the database URL: readable by its owner only.
    ( umask 077; cat > "$(keystone_conf)" ) <<CONF
# Written by devstack/stack.sh; rewritten on every run.
[DEFAULT]
debug = $NOVA_DEBUG
log_file = $LOGDIR/k-api.log
use_stderr = False

[database]
connection = $db_url

[token]
provider = fernet
expiration = $KEYSTONE_TOKEN_EXPIRATION

[fernet_tokens]
key_repository = $KEYSTONE_DATA_DIR/fernet-keys

[fernet_receipts]
key_repository = $KEYSTONE_DATA_DIR/fernet-keys

[credential]
key_repository = $KEYSTONE_DATA_DIR/credential-keys

[identity]
# bcrypt's default 12 rounds cost about 0.3 s a password check here.
password_hash_rounds = 4
CONF
        chmod 600 "$(keystone_conf)"
    # keystone's oslo.config parses sys.argv, which is gunicorn's there.
    cat > "$KEYSTONE_DATA_DIR/keystone_wsgi_app.py" <<'PY'
# Written by devstack/stack.sh: keystone.wsgi.api without gunicorn's argv.
import sys

sys.argv = sys.argv[:1]
from keystone.wsgi.api import application  # noqa: E402,F401
PY
}

keystone_manage() {
    "$KEYSTONE_VENV/bin/keystone-manage" --config-file "$(keystone_conf)" \
        "$@" >>"$LOGDIR/k-manage.log" 2>&1 || \
        die "keystone-manage $1 failed; see $LOGDIR/k-manage.log"
}

keystone_bootstrap() {
    local started=$SECONDS
    say "setting up Keystone's database and keys ($1)"
    # The keys do not need the database: made while it is migrated.
    (
        [ -n "$(ls -A "$KEYSTONE_DATA_DIR/fernet-keys" 2>/dev/null)" ] || \
            keystone_manage fernet_setup --keystone-user "$(id -un)" \
                --keystone-group "$(id -gn)"
        [ -n "$(ls -A "$KEYSTONE_DATA_DIR/credential-keys" 2>/dev/null)" ] \
            || keystone_manage credential_setup --keystone-user "$(id -un)" \
                --keystone-group "$(id -gn)"
    ) &
    local keys=$!
    keystone_manage db_sync
    wait "$keys" || die "Keystone's key setup failed; see" \
        "$LOGDIR/k-manage.log"
    keystone_manage bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
        --bootstrap-username admin --bootstrap-project-name admin \
        --bootstrap-role-name admin --bootstrap-service-name keystone \
        --bootstrap-region-id "$REGION_NAME" \
        --bootstrap-admin-url "$KEYSTONE_AUTH_URL" \
        --bootstrap-internal-url "$KEYSTONE_AUTH_URL" \
        --bootstrap-public-url "$KEYSTONE_AUTH_URL"
    say "Keystone bootstrapped in $((SECONDS - started))s"
}

keystone_start() {
    local db_url=$1 pidfile="$NOVA_PID_DIR/k-api.pid" workers
    if port_open "$KEYSTONE_HOST" "$KEYSTONE_PORT"; then
        die "$KEYSTONE_HOST:$KEYSTONE_PORT is taken by a process stack.sh" \
            "did not start; set KEYSTONE_PORT"
    fi
    case "$db_url" in
        sqlite*) workers=1 ;;
        *) workers=$KEYSTONE_WORKERS ;;
    esac
    local access='%(h)s "%(r)s" status: %(s)s len: %(B)s time: %(L)ss'
    access+=' request-id: %({x-openstack-request-id}o)s'
    OS_KEYSTONE_CONFIG_FILES="$(keystone_conf)" nohup \
        "$KEYSTONE_VENV/bin/gunicorn" --no-control-socket \
        --chdir "$KEYSTONE_DATA_DIR" \
        --bind "$KEYSTONE_HOST:$KEYSTONE_PORT" --workers "$workers" \
        --timeout 120 --graceful-timeout 10 \
        --access-logfile "$LOGDIR/k-access.log" \
        --access-logformat "$access" \
        keystone_wsgi_app:application >>"$LOGDIR/k-api.out" 2>&1 &
    echo $! > "$pidfile"
    say "started keystone (pid $!), log $LOGDIR/k-api.log"
}

keystone_up() {
    "$NOVA_VENV/bin/python" - "$KEYSTONE_AUTH_URL" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except Exception:
    sys.exit(1)
PY
}

keystone_wait() {
    local i pid
    pid=$(cat "$NOVA_PID_DIR/k-api.pid")
    for ((i = 0; i < 240; i++)); do
        # kill -0, not pid_alive: just started, it may not have exec'd yet.
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$LOGDIR/k-api.out" >&2 || true
            die "keystone exited; see $LOGDIR/k-api.out and k-api.log"
        fi
        if keystone_up; then return 0; fi
        sleep 0.5
    done
    die "timed out after 120s waiting for keystone at $KEYSTONE_AUTH_URL"
}

# Projects, users, role assignments and the catalog, made or brought up to
# date in one process (each openstack CLI call spends seconds starting).
keystone_accounts() {
    KEYSTONE_PASSWORD=$ADMIN_PASSWORD KEYSTONE_SERVICE_PASSWORD=$SERVICE_PASSWORD \
        "$NOVA_VENV/bin/python" - "$KEYSTONE_AUTH_URL" "$REGION_NAME" \
        "$NOVA_ENDPOINT" "$GLANCE_ENDPOINT" "$NOVA_ENABLE_GLANCE" \
        "$SERVICE_PROJECT_NAME" "$NEUTRON_ENDPOINT" "$NOVA_NETWORK_BACKEND" \
        "${NOVA_PLACEMENT_ENDPOINT:-}" <<'PY'
import os, sys

from keystoneauth1.identity import v3
from keystoneauth1 import session

(auth_url, region, compute_url, image_url, glance_enabled,
 service_project_name, network_url, network_backend) = sys.argv[1:9]
# nova-placement-api (devstack/placement.sh), when stack.sh runs it.
placement_url = sys.argv[9] if len(sys.argv) > 9 else ''
neutron = network_backend == 'neutron'  # devstack/neutron.sh
admin_password = os.environ['KEYSTONE_PASSWORD']
service_password = os.environ['KEYSTONE_SERVICE_PASSWORD']
auth = v3.Password(auth_url=auth_url, username='admin',
                   password=admin_password, project_name='admin',
                   user_domain_id='default', project_domain_id='default')
sess = session.Session(auth=auth, timeout=60)


def call(method, path, **kwargs):
    return sess.request(auth_url + path, method, **kwargs)


def find(collection, **filters):
    found = call('GET', '/' + collection, params=filters).json()[collection]
    return found[0] if found else None


def project(name, description):
    found = find('projects', name=name, domain_id='default')
    if found:
        return found['id']
    return call('POST', '/projects', json={'project': {
        'name': name, 'domain_id': 'default',
        'description': description}}).json()['project']['id']


def user(name, password, project_id):
    found = find('users', name=name, domain_id='default')
    if found:  # the password of this run
        call('PATCH', '/users/%s' % found['id'], json={'user': {
            'password': password, 'default_project_id': project_id}})
        return found['id']
    return call('POST', '/users', json={'user': {
        'name': name, 'password': password, 'domain_id': 'default',
        'default_project_id': project_id}}).json()['user']['id']


roles = {r['name']: r['id'] for r in call('GET', '/roles').json()['roles']}


def grant(project_id, user_id, *names):
    for name in names:
        call('PUT', '/projects/%s/users/%s/roles/%s'
             % (project_id, user_id, roles[name]))


def service(type_, name, url):
    found = find('services', type=type_)
    if found:
        service_id = found['id']
    else:
        service_id = call('POST', '/services', json={'service': {
            'type': type_, 'name': name, 'enabled': True}}
        ).json()['service']['id']
    endpoints = call('GET', '/endpoints', params={
        'service_id': service_id}).json()['endpoints']
    for interface in ('public', 'internal', 'admin'):
        mine = [e for e in endpoints if e['interface'] == interface]
        if mine and mine[0]['url'] == url and mine[0]['region_id'] == region:
            continue
        if mine:  # a port or region that changed since the last run
            call('PATCH', '/endpoints/%s' % mine[0]['id'], json={
                'endpoint': {'url': url, 'region_id': region}})
        else:
            call('POST', '/endpoints', json={'endpoint': {
                'service_id': service_id, 'interface': interface,
                'url': url, 'region_id': region}})


admin_project = find('projects', name='admin')['id']
admin = find('users', name='admin')['id']
service_project = project(service_project_name, 'The service users')
demo = project('demo', 'The demo project')
alt_demo = project('alt_demo', 'Another project, for isolation checks')
grant(demo, user('demo', admin_password, demo), 'member')
grant(demo, user('demo-reader', admin_password, demo), 'reader')
grant(alt_demo, user('alt_demo', admin_password, alt_demo), 'member')
grant(demo, admin, 'admin')
for name in ('nova', 'glance') + (('neutron',) if neutron else ()):
    grant(service_project, user(name, service_password, service_project),
          'admin', 'service')
service('compute', 'nova', compute_url)
if glance_enabled == 'True':
    service('image', 'glance', image_url)
if neutron:
    service('network', 'neutron', network_url)
else:  # nova-api serves the flat network's Networking API (read-only)
    service('network', 'nova-flat-network',
            compute_url.rsplit('/v2.1', 1)[0] + '/networking')
if placement_url:
    service('placement', 'placement', placement_url)
print('[nova] Keystone: projects admin, demo, alt_demo, service; users '
      'admin, demo, demo-reader, alt_demo, nova, glance'
      + (', neutron' if neutron else '') + '; catalog: compute'
      + (', image' if glance_enabled == 'True' else '')
      + (', network' if neutron else ', network (flat, nova-api)')
      + (', placement' if placement_url else ''), file=sys.stderr)
PY
}

# A token of user:project (admin:admin by default), or with noauth2 the
# token nova-api takes instead.
keystone_token() {  # keystone_token [user] [project]
    local user=${1:-admin} project=${2:-admin}
    if [ "$NOVA_AUTH_STRATEGY" != keystone ]; then
        echo "$user:$project"
        return 0
    fi
    KEYSTONE_PASSWORD=$ADMIN_PASSWORD "$NOVA_VENV/bin/python" - \
        "$KEYSTONE_AUTH_URL" "$user" "$project" <<'PY'
import os, sys
from keystoneauth1.identity import v3
from keystoneauth1 import session

auth_url, user, project = sys.argv[1:4]
password = os.environ['KEYSTONE_PASSWORD']
auth = v3.Password(auth_url=auth_url, username=user, password=password,
                   project_name=project, user_domain_id='default',
                   project_domain_id='default')
print(session.Session(auth=auth, timeout=30).get_token())
PY
}

# nova.conf's Keystone sections (lib.sh's write_config appends them).
write_keystone_config() {
    local section
    cat <<CONF

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_AUTH_URL
# Validated tokens are cached in the process (no memcached here).
service_token_roles_required = true
service_type = compute
CONF
    keystone_service_auth nova
    # Calls to Glance: the user's token with nova's service token beside it
    # (a long upload outlives the user's token); calls no user made use
    # nova's own.
    echo "region_name = $REGION_NAME"
    for section in service_user glance; do
        printf '\n[%s]\n' "$section"
        [ "$section" != service_user ] || \
            echo "send_service_user_token = true"
        keystone_service_auth nova
    done
}

keystone_service_auth() {  # the password auth lines of a service user
    cat <<CONF
auth_type = password
auth_url = $KEYSTONE_AUTH_URL
username = $1
password = $SERVICE_PASSWORD
user_domain_name = Default
project_name = $SERVICE_PROJECT_NAME
project_domain_name = Default
CONF
}

# stack.sh, before nova's services and Glance: install, configure,
# bootstrap and start Keystone, then its projects, users and catalog.
keystone_stack() {
    if [ "$NOVA_AUTH_STRATEGY" != keystone ]; then
        say "Keystone is disabled (NOVA_AUTH_STRATEGY=$NOVA_AUTH_STRATEGY)"
        return 0
    fi
    keystone_ensure_venv
    local db_url
    db_url=$(keystone_db_url)
    keystone_configure "$db_url"
    # What a running Keystone was started with: another port, database,
    # token lifetime or admin password restarts it (bootstrap again).
    local settings="$KEYSTONE_DATA_DIR/.settings" want
    want=$(printf '%s\n' "$KEYSTONE_HOST:$KEYSTONE_PORT" "$db_url" \
        "$KEYSTONE_TOKEN_EXPIRATION" "$REGION_NAME" \
        "$(printf '%s' "$ADMIN_PASSWORD" | sha256sum)")
    if pid_alive "$NOVA_PID_DIR/k-api.pid" && \
            [ "$(cat "$settings" 2>/dev/null)" != "$want" ]; then
        say "Keystone's settings changed: restarting it"
        keystone_stop
    fi
    if pid_alive "$NOVA_PID_DIR/k-api.pid"; then
        say "keystone is already running (pid" \
            "$(cat "$NOVA_PID_DIR/k-api.pid"))"
    else
        keystone_create_database "$db_url" || \
            die "could not create Keystone's database ($db_url)"
        keystone_bootstrap "$db_url"
        keystone_start "$db_url"
        ( umask 077; echo "$want" > "$settings" )
    fi
    keystone_wait
    keystone_accounts
    say "Keystone is up at $KEYSTONE_AUTH_URL"
}

# unstack.sh: stop keystone if stack.sh started it (its pid file).
keystone_stop() {
    stop_services k-api
}
