"""``nova-manage trace <request id>``: one request's timeline.

Every service logs ``[<global request id> <request id> <user> <project>]``
on each line made for a request, and the instance actions record the
request's steps as events.  This merges the matching lines of every log
file in a directory with those events into one time-ordered timeline, with
how long each service took part, so an operator need not grep four logs
and line them up by eye.

Pure functions of the log lines and the actions (nova-manage reads the
database and hands the actions in).
"""

import dataclasses
import datetime
import pathlib
import re

# oslo.log's default line: date time.msecs pid LEVEL logger message.
_LINE = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (\d+) '
                   r'([A-Z]+) (\S+) (.*)$')
# What the message starts with: the context, which the timeline leaves out
# (it holds the request id being traced, and the user and project).
_CONTEXT = re.compile(r'^\[[^\]]*\] ')
# A line's request context: [-] when it has none, else [<global id or
# None> <request id> ...]; continuation lines have none of these.
_REQUEST_CONTEXT = re.compile(r'^\[(?:-\]|None req-|req-)')
# oslo.log's debug suffix: the function and the source file.
_SOURCE = re.compile(r' \S+ /\S+\.py:\d+$')


@dataclasses.dataclass(order=True)
class Entry:
    when: datetime.datetime   # aware, UTC
    line: int                 # in its file: ties keep the file's order
    service: str              # the log file's name without .log, or 'db'
    level: str
    text: str
    more: list = dataclasses.field(default_factory=list, compare=False)


def log_entries(path, request_id):
    """The lines of the log file at path that carry request_id, each with
    its continuation lines: those oslo.log writes after it with the same
    time, process and logger and no request context (a traceback, the
    further lines of a message)."""
    service = pathlib.Path(path).name
    service = service[:-len('.log')] if service.endswith('.log') else service
    entries = []
    current = None   # (time, pid, logger) of the last line kept
    with open(path, encoding='utf-8', errors='replace') as lines:
        for number, line in enumerate(lines):
            match = _LINE.match(line.rstrip('\n'))
            if match is None:
                continue
            when, pid, level, logger, message = match.groups()
            if request_id not in line:
                if current == (when, pid, logger) and \
                        not _REQUEST_CONTEXT.match(message):
                    entries[-1].more.append(_SOURCE.sub('', message))
                else:
                    current = None
                continue
            current = (when, pid, logger)
            message = _SOURCE.sub('', _CONTEXT.sub('', message))
            entries.append(Entry(_local(when), number, service, level,
                                 '%s %s' % (logger, message)))
    return entries


def _local(text):
    # oslo.log writes local time.
    return datetime.datetime.strptime(
        text, '%Y-%m-%d %H:%M:%S.%f').astimezone(datetime.timezone.utc)


def event_entries(actions):
    """An entry per start and finish of the actions' events (dicts as the
    database gives them: naive UTC times, events listed)."""
    entries = []
    for action in actions:
        instance = action['instance_uuid']
        entries.append(Entry(_utc(action['start_time']), 0, 'db', 'ACTION',
                             'action %s of instance %s (user %s, project '
                             '%s)' % (action['action'], instance,
                                      action['user_id'],
                                      action['project_id'])))
        for event in action.get('events') or []:
            host = ' on %s' % event['host'] if event.get('host') else ''
            if event.get('start_time'):
                entries.append(Entry(
                    _utc(event['start_time']), 0, 'db', 'EVENT',
                    'event %s started%s' % (event['event'], host)))
            if event.get('finish_time'):
                entries.append(Entry(
                    _utc(event['finish_time']), 0, 'db', 'EVENT',
                    'event %s finished%s: %s' % (
                        event['event'], host, event.get('result'))))
    return entries


def _utc(value):
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def timeline(request_id, log_paths, actions):
    """The entries of every log and of the actions, in time order."""
    entries = event_entries(actions)
    for path in log_paths:
        entries.extend(log_entries(path, request_id))
    return sorted(entries)


def render(request_id, entries):
    """The timeline as text: each entry at its offset from the first, then
    per service its number of lines and the time from its first line to
    its last.

    A database that keeps whole seconds (MariaDB's DATETIME) cannot place
    the action events among the log lines: they are listed after them,
    with their times, instead.
    """
    events = [e for e in entries if e.service == 'db']
    coarse = len(events) > 1 and all(e.when.microsecond == 0
                                     for e in events)
    if coarse:
        entries = [e for e in entries if e.service != 'db']
    if not entries and not events:
        return 'No log line or action event carries %s.\n' % request_id
    out = []
    services = {}
    if entries:
        start = entries[0].when
        width = max(len(e.service) for e in entries)
        out.append('Request %s: %d entries from %s (UTC) over %.3f s' % (
            request_id, len(entries),
            start.strftime('%Y-%m-%d %H:%M:%S.%f'),
            (entries[-1].when - start).total_seconds()))
        for entry in entries:
            offset = (entry.when - start).total_seconds()
            out.append('%+9.3f  %-*s  %-7s %s' % (
                offset, width, entry.service, entry.level, entry.text))
            out.extend(' ' * (20 + width) + line for line in entry.more)
            first, _last, count = services.get(
                entry.service, (entry.when, entry.when, 0))
            services[entry.service] = (first, entry.when, count + 1)
        out.append('')
        out.append('Per service (first line to last):')
        for service, (first, last, count) in services.items():
            out.append('  %-*s  %3d lines  %+.3f s to %+.3f s  (%.3f s)' % (
                width, service, count, (first - start).total_seconds(),
                (last - start).total_seconds(),
                (last - first).total_seconds()))
        out.append('Log times are read in this machine\'s time zone (UTC%s).'
                   % datetime.datetime.now().astimezone().strftime('%z'))
        if 'db' in services:
            out.append('(db: the instance actions and events, timed by the '
                       'database)')
    if coarse:
        out.append('')
        out.append('Instance actions and events of %s (UTC; the database '
                   'keeps whole seconds):' % request_id)
        for event in events:
            out.append('  %s  %-7s %s' % (event.when.strftime('%H:%M:%S'),
                                          event.level, event.text))
    return '\n'.join(out) + '\n'
