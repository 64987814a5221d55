"""Worker processes of a service: forked, started again, stopped."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from oslo_config import cfg

import nova.conf
from nova.cmd import conductor

# The supervisor runs in a process of its own (it installs signal
# handlers); its workers only record their pid and wait for SIGTERM.
SCRIPT = textwrap.dedent('''
    import os, sys
    from nova.cmd import common

    def fake_serve_one(binary, conf, before_start, parent=None):
        stop = common.wait_for_signal()
        common._stop_when_orphaned(parent)
        with open(os.path.join(sys.argv[1], str(os.getpid())), 'w'):
            pass
        stop()
        os.unlink(os.path.join(sys.argv[1], str(os.getpid())))

    common._serve_one = fake_serve_one
    common.RESPAWN_INTERVAL = 0.1
    common._supervise('nova-conductor', None, None, 2)
''')


def _workers(path, count, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = sorted(int(p) for p in os.listdir(path))
        if len(pids) == count:
            return pids
        time.sleep(0.05)
    raise AssertionError('%d workers expected, found %s'
                         % (count, os.listdir(path)))


def _gone(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _supervisor(tmp_path):
    return subprocess.Popen([sys.executable, '-c', SCRIPT, str(tmp_path)])


def test_a_dead_worker_is_replaced_and_sigterm_stops_them_all(tmp_path):
    supervisor = _supervisor(tmp_path)
    try:
        first, second = _workers(tmp_path, 2)
        os.kill(first, signal.SIGKILL)
        os.unlink(tmp_path / str(first))
        workers = _workers(tmp_path, 2)
        assert second in workers and first not in workers
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=10) == 0
        assert all(_gone(pid) for pid in workers)
        assert os.listdir(tmp_path) == []   # each stopped cleanly
    finally:
        supervisor.kill()


def test_workers_stop_when_the_supervisor_is_killed(tmp_path):
    supervisor = _supervisor(tmp_path)
    workers = _workers(tmp_path, 2)
    supervisor.kill()
    supervisor.wait()
    assert all(_gone(pid) for pid in workers)


def test_conductor_workers_default_to_the_cpus():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([])
    assert conductor.workers(conf) == (os.cpu_count() or 1)
    conf.set_override('workers', 3, group='conductor')
    assert conductor.workers(conf) == 3


def test_freeze_startup_heap_leaves_start_up_objects_out_of_collections():
    from nova.cmd import common
    import gc
    made_at_start_up = [{'n': n} for n in range(1000)]
    try:
        common.freeze_startup_heap()
        assert gc.get_freeze_count() >= len(made_at_start_up)
        # What a full collection walks no longer holds them.
        first = made_at_start_up[0]
        assert not any(o is first for o in gc.get_objects())
    finally:
        gc.unfreeze()
