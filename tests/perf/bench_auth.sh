#!/usr/bin/env bash
# Keystone against noauth2, side by side in one run, on one deployment.
# (On a deployment with NOVA_AUTH_STRATEGY=noauth2, noauth2 against
# BASELINE_TREE's noauth2.)
#
# Beside the deployment's nova-api (Keystone, port NOVA_API_PORT) it starts
# a second nova-api with [api] auth_strategy = noauth2 on NOAUTH_PORT, over
# the same conductor, scheduler, computes and database.  The noauth2 token
# names demo's Keystone user and project ids, so both APIs serve the same
# project and the same servers.  Then bench_servers.py runs against each in
# turn, ROUNDS times: boot and delete (COUNT servers at concurrency 1), and
# the list of LIST_SERVERS servers.  The second nova-api is stopped at the
# end.  Run after stack.sh (see README.rst's Benchmarks for the settings).
#
# BASELINE_TREE=<a checkout of an earlier commit> adds a third nova-api, that
# tree's code with noauth2 on BASELINE_PORT, to the rounds: the noauth2
# path before and after a change, in the same run.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$TOP/devstack/lib.sh"
source "$TOP/devstack/keystone.sh"

NOAUTH_PORT=${NOAUTH_PORT:-8775}
BASELINE_TREE=${BASELINE_TREE:-}
BASELINE_PORT=${BASELINE_PORT:-8776}
ROUNDS=${ROUNDS:-3}
COUNT=${COUNT:-20}
LIST_SERVERS=${LIST_SERVERS:-1000}
LIST_REPEATS=${LIST_REPEATS:-30}
RESULTS=${RESULTS:-$LOGDIR/bench-auth}
PY=$NOVA_VENV/bin/python
BENCH="$PY $TOP/tests/perf/bench_servers.py"

# On a noauth2 deployment (Glance without Keystone too) only the noauth2
# APIs run: this tree's and BASELINE_TREE's.
mkdir -p "$RESULTS"
noauth_conf="$RESULTS/noauth2.conf"
printf '[DEFAULT]\nosapi_compute_listen_port = %s\n[api]\nauth_strategy = noauth2\n' \
    "$NOAUTH_PORT" > "$noauth_conf"
"$NOVA_VENV/bin/nova-api" --config-file "$NOVA_CONF" \
    --config-file "$noauth_conf" --log-file "$RESULTS/n-api-noauth2.log" \
    >>"$RESULTS/n-api-noauth2.out" 2>&1 &
noauth_pid=$!
pids=$noauth_pid
if [ -n "$BASELINE_TREE" ]; then
    baseline_conf="$RESULTS/baseline.conf"
    sed "s/= $NOAUTH_PORT\$/= $BASELINE_PORT/" "$noauth_conf" > "$baseline_conf"
    PYTHONPATH=$BASELINE_TREE "$PY" -c 'from nova.cmd.api import main; main()' \
        --config-file "$NOVA_CONF" --config-file "$baseline_conf" \
        --log-file "$RESULTS/n-api-baseline.log" \
        >>"$RESULTS/n-api-baseline.out" 2>&1 &
    pids+=" $!"
fi
trap 'kill $pids 2>/dev/null || true' EXIT

token=$(keystone_token demo demo)
if [ "$NOVA_AUTH_STRATEGY" = keystone ]; then
    ids=$("$PY" - "$KEYSTONE_AUTH_URL" "$token" <<'PY'
import json, sys, urllib.request
url, token = sys.argv[1:3]
req = urllib.request.Request(url + '/auth/tokens', headers={
    'X-Auth-Token': token, 'X-Subject-Token': token})
body = json.load(urllib.request.urlopen(req))['token']
print('%s:%s' % (body['user']['id'], body['project']['id']))
PY
)
else
    ids=$token
fi
image_id=$("$PY" - "$GLANCE_ENDPOINT" "$token" <<'PY'
import json, sys, urllib.request
url, token = sys.argv[1:3]
req = urllib.request.Request(url + '/v2/images?name=cirros-test',
                             headers={'X-Auth-Token': token})
print(json.load(urllib.request.urlopen(req))['images'][0]['id'])
PY
)
noauth_endpoint="http://$NOVA_API_HOST:$NOAUTH_PORT/v2.1"
NOVA_ENDPOINT=$noauth_endpoint wait_for 60 "the noauth2 nova-api" api_up
baseline_endpoint="http://$NOVA_API_HOST:$BASELINE_PORT/v2.1"
[ -z "$BASELINE_TREE" ] || NOVA_ENDPOINT=$baseline_endpoint \
    wait_for 60 "the baseline nova-api" api_up

run() {  # run <label> <endpoint> <token> <extra bench args...>
    local label=$1 endpoint=$2 tok=$3
    shift 3
    echo "== $label: $endpoint"
    $BENCH --endpoint "$endpoint" --token "$tok" --image-id "$image_id" \
        "$@" 2>&1 | tee -a "$RESULTS/$label.txt"
}

# The list's servers are booted once and kept for every list run.
run fill "$NOVA_ENDPOINT" "$token" --count 0 --list-servers "$LIST_SERVERS" \
    --list-repeats 1 --keep >/dev/null
for ((round = 1; round <= ROUNDS; round++)); do
    echo "### round $round of $ROUNDS"
    # A fresh Keystone token each round: its first use is validated by
    # Keystone, the rest come from auth_token's cache, as for a client.
    if [ "$NOVA_AUTH_STRATEGY" = keystone ]; then
        token=$(keystone_token demo demo)
        run keystone "$NOVA_ENDPOINT" "$token" --count "$COUNT" \
            --concurrency 1 --list-servers "$LIST_SERVERS" \
            --list-repeats "$LIST_REPEATS" --keep
    fi
    run noauth2 "$noauth_endpoint" "$ids" --count "$COUNT" \
        --concurrency 1 --list-servers "$LIST_SERVERS" \
        --list-repeats "$LIST_REPEATS" --keep
    [ -z "$BASELINE_TREE" ] || run baseline "$baseline_endpoint" "$ids" \
        --count "$COUNT" --concurrency 1 --list-servers "$LIST_SERVERS" \
        --list-repeats "$LIST_REPEATS" --keep
done
echo "results in $RESULTS"
