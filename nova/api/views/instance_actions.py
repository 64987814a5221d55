"""Instance action representations, per microversion."""

import hashlib

from nova.api.views import common

DELETED_SERVERS = (2, 21)
EVENTS_FOR_OWNERS = (2, 51)
PAGINATION = (2, 58)
EVENT_HOST = (2, 62)
EVENT_DETAILS = (2, 84)


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def action(req, action):
    view = {'action': action['action'],
            'instance_uuid': action['instance_uuid'],
            'request_id': action['request_id'],
            'user_id': action['user_id'],
            'project_id': action['project_id'],
            'start_time': _time(action['start_time']),
            'message': action['message']}
    if req.is_version(PAGINATION):
        view['updated_at'] = _time(action['updated_at'])
    return view


def _host_id(project_id, host):
    if not host:
        return ''
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def event(req, event, project_id, show_traceback, show_details):
    view = {'event': event['event'],
            'start_time': _time(event['start_time']),
            'finish_time': _time(event['finish_time']),
            'result': event['result']}
    if show_traceback:
        view['traceback'] = event['traceback']
    if req.is_version(EVENT_HOST):
        if show_traceback:
            view['host'] = event['host'] or ''
        view['hostId'] = _host_id(project_id, event['host'])
    if req.is_version(EVENT_DETAILS) and show_details:
        view['details'] = event['details']
    return view


def collection(req, actions, limit):
    body = {'instanceActions': [action(req, a) for a in actions]}
    if req.is_version(PAGINATION) and limit is not None:
        links = common.next_links(req, actions, limit, 'request_id')
        if links:
            body['links'] = links
    return body
