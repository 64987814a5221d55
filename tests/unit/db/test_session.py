"""The SQLite writer lock holds across processes (conductor workers)."""

import fcntl
import os
import traceback
import uuid

from nova.db import instances
from nova.db import migration
from nova.db import network
from nova.db import session


def _blocked_elsewhere(path):
    """Whether another process finds path's lock taken."""
    pid = os.fork()
    if pid == 0:
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os._exit(1)
        os._exit(0)
    return os.waitpid(pid, 0)[1] >> 8 == 1


def test_file_databases_lock_a_file_beside_them(tmp_path):
    session.use_engine(session.create_engine(
        'sqlite:///%s/nova.sqlite' % tmp_path))
    assert session._SQLITE_LOCK._path == '%s/nova.sqlite.lock' % tmp_path
    session.use_engine(session.create_engine('sqlite://'))
    assert session._SQLITE_LOCK._path is None


def test_the_lock_is_reentrant_and_held_until_the_outermost_exit(tmp_path):
    path = str(tmp_path / 'db.lock')
    lock = session.WriterLock(path)
    with lock:
        assert _blocked_elsewhere(path)
        with lock:
            pass
        assert _blocked_elsewhere(path)
    assert not _blocked_elsewhere(path)


def _allocate_in_a_process(url, count):
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            session.dispose()
            session.use_engine(session.create_engine(url))
            for _ in range(count):
                (created,) = instances.instances_create([{
                    'uuid': str(uuid.uuid4()), 'user_id': 'u',
                    'project_id': 'p',
                    'vm_state': 'building', 'task_state': 'networking'}])
                network.fixed_ip_allocate('private', '10.0.0.0/24',
                                          created['uuid'])
                instances.instance_update(
                    created['uuid'], {'task_state': None},
                    expected_task_state=['networking'])
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def test_processes_write_one_database_file_together(tmp_path):
    url = 'sqlite:///%s/nova.sqlite' % tmp_path
    engine = session.create_engine(url)
    migration.db_sync(engine)
    engine.dispose()
    pids = [_allocate_in_a_process(url, 25) for _ in range(3)]
    assert [os.waitpid(pid, 0)[1] for pid in pids] == [0, 0, 0]
    session.use_engine(session.create_engine(url))
    listed = instances.instance_get_all(columns=['uuid', 'task_state'])
    assert len(listed) == 75
    assert {i['task_state'] for i in listed} == {None}
    # Every allocation took its own address.
    assert network.fixed_ip_allocate('private', '10.0.0.0/24',
                                     'last')['address'] == '10.0.0.76'
