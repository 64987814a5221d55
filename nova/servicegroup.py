"""Whether a service is up, from its last heartbeat."""

import datetime


def service_is_up(service, down_time, now=None):
    """forced_down wins; otherwise a heartbeat within down_time seconds."""
    if service.get('forced_down'):
        return False
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None)
    last = service.get('last_seen_up') or service.get('created_at')
    if last is None:
        return False
    return abs((now - last).total_seconds()) <= down_time
