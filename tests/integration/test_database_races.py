"""Concurrent builds on each real database: every one gets its own address.

What the flat network's allocation relies on differs per backend (SQLite's
writers take turns; MariaDB and PostgreSQL settle races with the unique
constraint and retries), so it is tried on each, with builds racing from
threads as conductor workers would.
"""

import threading
import uuid

from nova.conductor import build
from nova.db import actions
from nova.db import instances
from nova.network import model

NET = {'network': 'private', 'cidr': '10.0.0.0/24', 'reserved': ['10.0.0.1']}
# More than the default pool's 10 + 20 connections, as the conductor's
# 64 RPC threads may have: a build that held two at once (one for its
# steps, one for the address) had them all wait on each other.
BUILDS = 40
ROUNDS = 4   # the InnoDB deadlock this guards against showed in 2 runs of 3


def _building_instance():
    (instance,) = instances.instances_create([{
        'uuid': str(uuid.uuid4()), 'user_id': 'u', 'project_id': 'p',
        'vm_state': 'building', 'task_state': None}])
    actions.action_start('create', instance['uuid'],
                         'req-' + instance['uuid'], 'u', 'p')
    return instance['uuid']


def test_racing_builds_each_get_an_address(database):
    results, errors = {}, []
    for _ in range(ROUNDS):
        _race(results, errors)
    assert errors == []
    addresses = [model.first_address(r['network_info'])
                 for r in results.values()]
    assert len(addresses) == BUILDS * ROUNDS
    assert len(set(addresses)) == len(addresses), sorted(addresses)
    assert {r['task_state'] for r in results.values()} == {'spawning'}
    for uuid_ in results:
        (event,) = actions.action_get_by_request_id(
            uuid_, 'req-' + uuid_)['events']
        assert event['event'] == 'build'


def _race(results, errors):
    uuids = [_building_instance() for _ in range(BUILDS)]
    start = threading.Barrier(BUILDS)

    def build_one(uuid_):
        start.wait()
        try:
            results[uuid_] = build.instance_build_networking(
                uuid_, {'request_id': 'req-' + uuid_, 'event': 'build',
                        'host': 'h1'}, fixed_ip=NET, spawning=True)
        except Exception as e:  # reported below, with the others
            errors.append(repr(e))

    threads = [threading.Thread(target=build_one, args=(u,)) for u in uuids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
