"""Availability zone representations."""


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def zones(zone_states, hosts=None):
    """zone_states: {zone: available}; hosts: {zone: {host: {binary:
    {available, active, updated_at}}}} for the detail view."""
    return {'availabilityZoneInfo': [
        {'zoneName': zone, 'zoneState': {'available': available},
         'hosts': None if hosts is None else hosts.get(zone)}
        for zone, available in sorted(zone_states.items())]}


def host_entry(service, up):
    return {'available': up, 'active': not service['disabled'],
            'updated_at': _time(service['updated_at'] or
                                service['last_seen_up'])}
