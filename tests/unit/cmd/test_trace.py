"""nova-manage trace: one request's log lines and events, in time order."""

import datetime
import subprocess
import sys
import time

from nova.cmd import trace
from nova.db import actions
from nova.db import instances
from nova.db import migration
from nova.db import session

REQ = 'req-11111111-2222-3333-4444-555555555555'
OTHER = 'req-99999999-2222-3333-4444-555555555555'


def _line(when, level, logger, request_id, message, source=True):
    suffix = ' f /work/nova/x.py:12' if source else ''
    return '%s 42 %s %s [None %s demo demo] %s%s\n' % (
        when, level, logger, request_id, message, suffix)


def _logs(tmp_path):
    (tmp_path / 'n-api.log').write_text(
        _line('2026-12-06 10:00:00.100', 'INFO', 'nova.api', REQ, 'POST') +
        _line('2026-12-06 10:00:00.105', 'INFO', 'nova.api', OTHER, 'GET') +
        'a line without the oslo.log shape ' + REQ + '\n' +
        _line('2026-12-06 10:00:00.300', 'INFO', 'nova.api', REQ, '202',
              source=False))
    (tmp_path / 'n-cpu.log').write_text(
        _line('2026-12-06 10:00:00.250', 'DEBUG', 'nova.compute', REQ,
              'first') +
        _line('2026-12-06 10:00:00.250', 'DEBUG', 'nova.compute', REQ,
              'second, same millisecond'))
    return [str(tmp_path / 'n-api.log'), str(tmp_path / 'n-cpu.log')]


def _utc(text):
    return datetime.datetime.strptime(text, '%Y-%m-%d %H:%M:%S.%f').astimezone(
        datetime.timezone.utc)


def test_the_timeline_merges_every_log_in_time_order(tmp_path):
    entries = trace.timeline(REQ, _logs(tmp_path), [])
    assert [(e.service, e.text) for e in entries] == [
        ('n-api', 'nova.api POST'),
        ('n-cpu', 'nova.compute first'),
        ('n-cpu', 'nova.compute second, same millisecond'),
        ('n-api', 'nova.api 202')]
    assert entries[0].when == _utc('2026-12-06 10:00:00.100')


def test_log_times_are_local_and_shown_in_utc(tmp_path, monkeypatch):
    monkeypatch.setenv('TZ', 'Europe/Paris')   # UTC+1 in December
    time.tzset()
    try:
        (entry,) = trace.log_entries(_logs(tmp_path)[0], REQ)[:1]
        assert entry.when == datetime.datetime(
            2026, 12, 6, 9, 0, 0, 100000, tzinfo=datetime.timezone.utc)
    finally:
        monkeypatch.delenv('TZ')
        time.tzset()


def test_events_join_the_timeline_and_services_get_their_share(
        tmp_path, monkeypatch):
    monkeypatch.setenv('TZ', 'UTC')   # the logs' local time is UTC here
    time.tzset()
    action = {'action': 'create', 'instance_uuid': 'u1', 'user_id': 'demo',
              'project_id': 'demo',
              'start_time': datetime.datetime(2026, 12, 6, 10, 0, 0, 110000),
              'events': [{'event': 'compute__do_build_and_run_instance',
                          'host': 'h1', 'result': 'Success',
                          'start_time': '2026-12-06T10:00:00.200000',
                          'finish_time': '2026-12-06T10:00:00.280000'}]}
    try:
        text = trace.render(REQ, trace.timeline(REQ, _logs(tmp_path),
                                                [action]))
    finally:
        monkeypatch.delenv('TZ')
        time.tzset()
    lines = text.splitlines()
    assert lines[0] == ('Request %s: 7 entries from 2026-12-06 '
                        '10:00:00.100000 (UTC) over 0.200 s' % REQ)
    assert [tuple(line.split(None, 3)[:3]) for line in lines[1:8]] == [
        ('+0.000', 'n-api', 'INFO'), ('+0.010', 'db', 'ACTION'),
        ('+0.100', 'db', 'EVENT'), ('+0.150', 'n-cpu', 'DEBUG'),
        ('+0.150', 'n-cpu', 'DEBUG'), ('+0.180', 'db', 'EVENT'),
        ('+0.200', 'n-api', 'INFO')]
    assert 'event compute__do_build_and_run_instance started on h1' in text
    assert 'finished on h1: Success' in text
    # The context and the debug source suffix are left out.
    assert 'demo demo]' not in text and 'x.py:12' not in text
    assert '  n-api    2 lines  +0.000 s to +0.200 s  (0.200 s)' in lines
    assert '  n-cpu    2 lines  +0.150 s to +0.150 s  (0.000 s)' in lines


def test_nothing_found_says_so():
    assert trace.render(REQ, []) == (
        'No log line or action event carries %s.\n' % REQ)


def test_nova_manage_trace_reads_the_logs_and_the_actions(tmp_path):
    db = tmp_path / 'nova.sqlite'
    engine = session.create_engine('sqlite:///%s' % db)
    migration.db_sync(engine)
    session.use_engine(engine)
    try:
        (instance,) = instances.instances_create([{
            'uuid': 'a7c9f3f0-0000-4000-8000-000000000001', 'user_id': 'demo',
            'project_id': 'demo', 'vm_state': 'building'}])
        actions.action_start('create', instance['uuid'], REQ, 'demo', 'demo')
        actions.event_start(instance['uuid'], REQ, 'build', 'h1')
        actions.event_finish(instance['uuid'], REQ, 'build', 'Success')
        actions.action_start('stop', instance['uuid'], OTHER, 'demo', 'demo')
    finally:
        session.dispose()
    _logs(tmp_path)
    conf_file = tmp_path / 'nova.conf'
    conf_file.write_text('[database]\nconnection = sqlite:///%s\n' % db)
    # Its own process: nova-manage parses the global configuration.
    result = subprocess.run(
        [sys.executable, '-c', 'import sys; from nova.cmd import manage; '
         'sys.exit(manage.main(sys.argv))', '--config-file', str(conf_file),
         'trace', REQ, '--logs', str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'action create of instance %s' % instance['uuid'] in out
    assert 'event build finished on h1: Success' in out
    assert 'action stop' not in out and 'GET' not in out
    assert 'nova.compute second, same millisecond' in out


def test_a_traceback_after_a_line_stays_with_it(tmp_path):
    prefix = '2026-12-06 10:00:00.400 42 ERROR nova.compute '
    (tmp_path / 'n-cpu.log').write_text(
        _line('2026-12-06 10:00:00.400', 'ERROR', 'nova.compute', REQ,
              'Build failed', source=False) +
        prefix + 'Traceback (most recent call last):\n' +
        prefix + '  File "x.py", line 1, in f\n' +
        prefix + 'ValueError: boom\n' +
        # The same second, another request: not a continuation.
        _line('2026-12-06 10:00:00.400', 'ERROR', 'nova.compute', OTHER,
              'other', source=False) +
        prefix + 'Traceback of the other request\n')
    (entry,) = trace.log_entries(str(tmp_path / 'n-cpu.log'), REQ)
    assert entry.text == 'nova.compute Build failed'
    assert entry.more == ['Traceback (most recent call last):',
                          '  File "x.py", line 1, in f', 'ValueError: boom']
    text = trace.render(REQ, [entry])
    assert '\n' + ' ' * 25 + 'ValueError: boom\n' in text


def test_whole_second_database_times_are_listed_apart(tmp_path):
    action = {'action': 'create', 'instance_uuid': 'u1', 'user_id': 'demo',
              'project_id': 'demo',
              'start_time': datetime.datetime(2026, 12, 6, 10, 0, 0),
              'events': [{'event': 'build', 'host': 'h1',
                          'result': 'Success',
                          'start_time': datetime.datetime(2026, 12, 6, 10,
                                                          0, 0),
                          'finish_time': datetime.datetime(2026, 12, 6, 10,
                                                           0, 1)}]}
    text = trace.render(REQ, trace.timeline(REQ, _logs(tmp_path), [action]))
    timeline, events = text.split('Instance actions and events of')
    assert ' db ' not in timeline
    assert timeline.startswith('Request %s: 4 entries' % REQ)
    assert events.splitlines()[1:] == [
        '  10:00:00  ACTION  action create of instance u1 (user demo, '
        'project demo)',
        '  10:00:00  EVENT   event build started on h1',
        '  10:00:01  EVENT   event build finished on h1: Success']
