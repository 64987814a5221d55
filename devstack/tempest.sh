#!/usr/bin/env bash
# Run Tempest's compute API tests against the deployment stack.sh brought
# up (run stack.sh first, with Keystone and Glance: the defaults), and
# print what passed, failed and was skipped.
#
#   NOVA_VIRT_DRIVER=fake NOVA_COMPUTES=2 devstack/stack.sh
#   devstack/tempest.sh
#
# Tempest runs from its own virtualenv (TEMPEST_VENV) in its own workspace
# (TEMPEST_DIR, with etc/tempest.conf and the log tempest.log) with dynamic
# credentials: it makes a project and users per test class in Keystone.
# There is no Neutron yet: a hook (devstack/files/tempest_no_default_network.py)
# keeps Tempest from skipping the tests that only ask for a default network.
#
# Settings (environment): TEMPEST_REGEX (all of tempest.api.compute),
# TEMPEST_EXCLUDE_REGEX, TEMPEST_CONCURRENCY (2), TEMPEST_MIN_PASS_RATE
# (percent of the tests that ran, skips aside; below it the script fails),
# TEMPEST_PIP_SPEC.  The script also fails when a response body broke
# Tempest's schema, whatever the pass rate.
#
# With the libvirt driver every test boots a real guest: use the fake
# driver unless that is what you want to measure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/keystone.sh"
source "$(dirname "${BASH_SOURCE[0]}")/glance.sh"
source "$(dirname "${BASH_SOURCE[0]}")/novnc.sh"

TEMPEST_VENV=${TEMPEST_VENV:-$STACK_DIR/tempest-venv}
TEMPEST_DIR=${TEMPEST_DIR:-$STACK_DIR/tempest}
TEMPEST_PIP_SPEC=${TEMPEST_PIP_SPEC:-tempest==47.0.0}
TEMPEST_REGEX=${TEMPEST_REGEX:-'^tempest\.api\.compute\.'}
TEMPEST_EXCLUDE_REGEX=${TEMPEST_EXCLUDE_REGEX:-}
TEMPEST_CONCURRENCY=${TEMPEST_CONCURRENCY:-2}
TEMPEST_MIN_PASS_RATE=${TEMPEST_MIN_PASS_RATE:-0}
TEMPEST_ALT_IMAGE_NAME=${TEMPEST_ALT_IMAGE_NAME:-tempest-alt}

[ "$NOVA_AUTH_STRATEGY" = keystone ] || \
    die "Tempest needs Keystone (NOVA_AUTH_STRATEGY=$NOVA_AUTH_STRATEGY)"
[ "$NOVA_ENABLE_GLANCE" = True ] || die "Tempest needs Glance"
api_up || die "nova-api does not answer at $NOVA_ENDPOINT: run stack.sh"
keystone_up || die "Keystone does not answer at $KEYSTONE_AUTH_URL"
glance_up || die "Glance does not answer at $GLANCE_ENDPOINT"

tempest_ensure_venv() {
    local marker="$TEMPEST_VENV/.nova-tempest" site
    if [ "$(cat "$marker" 2>/dev/null)" != "$TEMPEST_PIP_SPEC" ] || \
            [ ! -x "$TEMPEST_VENV/bin/tempest" ]; then
        say "installing $TEMPEST_PIP_SPEC into $TEMPEST_VENV"
        python3 -m venv "$TEMPEST_VENV"
        "$TEMPEST_VENV/bin/pip" install -q "$TEMPEST_PIP_SPEC" \
            >"$LOGDIR/tempest-pip.log" 2>&1 || \
            die "installing Tempest failed; see $LOGDIR/tempest-pip.log"
        echo "$TEMPEST_PIP_SPEC" > "$marker"
    fi
    # The hook, imported by every Python process of this venv.
    site=$("$TEMPEST_VENV/bin/python" -c \
        'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    cp "$NOVA_DIR/devstack/files/tempest_no_default_network.py" "$site/"
    echo 'import tempest_no_default_network; tempest_no_default_network.install()' \
        > "$site/tempest_no_default_network.pth"
}

# min_version and version of GET /v2.1 (no token needed).
compute_versions() {
    "$TEMPEST_VENV/bin/python" - "$NOVA_ENDPOINT" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + '/', timeout=30) as resp:
    version = json.load(resp)['version']
print(version['min_version'], version['version'])
PY
}

write_tempest_conf() {  # IMAGE ALT_IMAGE MIN_MICROVERSION MAX_MICROVERSION
    local cold_migration=false filters
    # The scheduler filters nova-scheduler enables by default.
    filters=$("$NOVA_VENV/bin/python" -c \
        'from nova.conf import scheduler; print(",".join(scheduler.DEFAULT_FILTERS))')
    [ "$NOVA_COMPUTES" -lt 2 ] || cold_migration=true
    mkdir -p "$TEMPEST_DIR/etc" "$TEMPEST_DIR/locks"
    cat > "$TEMPEST_DIR/etc/tempest.conf" <<CONF
[DEFAULT]
log_dir = $TEMPEST_DIR
log_file = tempest.log
debug = true

[oslo_concurrency]
lock_path = $TEMPEST_DIR/locks

[auth]
use_dynamic_credentials = true
admin_username = admin
admin_password = $ADMIN_PASSWORD
admin_project_name = admin
admin_domain_name = Default
tempest_roles = member
create_isolated_networks = false

[identity]
uri_v3 = $KEYSTONE_AUTH_URL
auth_version = v3
region = $REGION_NAME
v3_endpoint_type = public

[identity-feature-enabled]
api_v2 = false
api_v3 = true

[compute]
image_ref = $1
image_ref_alt = $2
flavor_ref = 1
flavor_ref_alt = 2
min_microversion = $3
max_microversion = $4
min_compute_nodes = $NOVA_COMPUTES
build_timeout = 120
build_interval = 1
shelved_offload_time = 0
catalog_type = compute
endpoint_type = publicURL
region = $REGION_NAME

# nova-placement-api (devstack/placement.sh), in the catalog as placement:
# read only, microversions 1.0-1.14.  Tempest's compute tests only pin its
# microversion; no placement test runs (TEMPEST_REGEX).
[placement]
catalog_type = placement
endpoint_type = public
region = $REGION_NAME
min_microversion = 1.0
max_microversion = 1.14

[compute-feature-enabled]
pause = true
suspend = true
rescue = true
shelve = true
snapshot = true
resize = true
console_output = true
enable_instance_password = true
cold_migration = $cold_migration
live_migration = false
change_password = false
vnc_console = $(novnc_tempest_enabled)
spice_console = false
serial_console = false
metadata_service = false
config_drive = false
personality = false
interface_attach = false
attach_encrypted_volume = false
swap_volume = false
volume_multiattach = false
stable_rescue = false
shelve_migrate = false
unified_limits = false
scheduler_enabled_filters = $filters

[service_available]
nova = true
glance = true
neutron = false
cinder = false
swift = false
horizon = false

[image-feature-enabled]
api_v2 = true
import_image = false

[validation]
run_validation = false

[network-feature-enabled]
ipv6 = false
CONF
}

tempest_ensure_venv
mkdir -p "$TEMPEST_DIR"
# The workspace's registry stays in the workspace: tempest init refuses a
# name ~/.tempest/workspace.yaml already holds (another stack's workspace).
[ -f "$TEMPEST_DIR/.stestr.conf" ] || \
    (cd "$TEMPEST_DIR" && "$TEMPEST_VENV/bin/tempest" init \
        --workspace-path "$TEMPEST_DIR/workspace.yaml" . >/dev/null) || \
    die "tempest init failed in $TEMPEST_DIR"
[ -n "$GLANCE_TEST_IMAGE_NAME" ] || die "no test image (GLANCE_TEST_IMAGE_NAME)"
image=$(glance_upload_image "$GLANCE_TEST_IMAGE_NAME" \
    "$GLANCE_TEST_IMAGE_FILE" "$GLANCE_TEST_IMAGE_DISK_FORMAT" bare)
alt_image=$(glance_upload_image "$TEMPEST_ALT_IMAGE_NAME" \
    "$GLANCE_TEST_IMAGE_FILE" "$GLANCE_TEST_IMAGE_DISK_FORMAT" bare)
read -r min_version max_version < <(compute_versions)
write_tempest_conf "$image" "$alt_image" "$min_version" "$max_version"
say "Tempest: $TEMPEST_REGEX against $NOVA_ENDPOINT (microversions" \
    "$min_version-$max_version, $NOVA_COMPUTES compute(s)), concurrency" \
    "$TEMPEST_CONCURRENCY; log $TEMPEST_DIR/tempest.log"

args=(run --concurrency "$TEMPEST_CONCURRENCY" --regex "$TEMPEST_REGEX")
[ -z "$TEMPEST_EXCLUDE_REGEX" ] || \
    args+=(--exclude-regex "$TEMPEST_EXCLUDE_REGEX")
started=$SECONDS
set +e
(cd "$TEMPEST_DIR" && TEMPEST_COMPUTE_NO_DEFAULT_NETWORK=1 \
    TEMPEST_CONFIG_DIR="$TEMPEST_DIR/etc" \
    "$TEMPEST_VENV/bin/tempest" "${args[@]}") > "$TEMPEST_DIR/run.log" 2>&1
set -e
elapsed=$((SECONDS - started))

# The counts from stestr's record of the run, and each failure's reason.
"$TEMPEST_VENV/bin/python" - "$TEMPEST_DIR" "$TEMPEST_MIN_PASS_RATE" \
    "$elapsed" <<'PY'
import collections, subprocess, sys

import subunit
import testtools

workspace, min_rate, elapsed = sys.argv[1], float(sys.argv[2]), sys.argv[3]
stream = subprocess.run(
    [sys.executable, '-m', 'stestr', 'last', '--subunit'], cwd=workspace,
    capture_output=True, check=True).stdout
results = collections.defaultdict(list)
reasons = {}


def record(test):
    test_id = test['id'].split('[')[0]
    results[test['status']].append(test_id)
    if test['status'] == 'fail':
        details = test['details'].get('traceback')
        text = details.as_text() if details else ''
        reasons[test_id] = text.strip().splitlines()[-1:] or ['']


case = subunit.ByteStreamToStreamResult(
    __import__('io').BytesIO(stream), non_subunit_name='stdout')
summary = testtools.StreamToDict(record)
summary.startTestRun()
case.run(summary)
summary.stopTestRun()
passed = len(results['success'])
failed = len(results['fail'])
skipped = len(results['skip'])
ran = passed + failed
rate = 100.0 * passed / ran if ran else 0.0
schema = [t for t, why in reasons.items()
          if 'InvalidHTTPResponseBody' in why[0]]
for test_id in sorted(results['fail']):
    print('FAILED %s: %s' % (test_id, reasons.get(test_id, [''])[0][:200]))
print('[nova] Tempest: %d passed, %d failed, %d skipped in %s s: %.1f%% of '
      'the %d tests that ran passed; %d response-schema failures'
      % (passed, failed, skipped, elapsed, rate, ran, len(schema)))
if not ran:
    sys.exit('[nova] ERROR: no test ran; see %s/run.log' % workspace)
if schema:
    sys.exit('[nova] ERROR: responses broke Tempest\'s schemas')
if rate < min_rate:
    sys.exit('[nova] ERROR: the pass rate %.1f%% is below %.1f%%'
             % (rate, min_rate))
PY
