"""/servers/{id}/os-instance-actions: what was done to a server, by whom."""

from oslo_utils import timeutils

from nova.api.policies import instance_actions as policies
from nova.api import policy
from nova.api.views import instance_actions as views
from nova.api import wsgi
from nova import exception


def _instance(req, server_id):
    ctxt = req.context
    read_deleted = 'yes' if req.is_version(views.DELETED_SERVERS) else 'no'
    return req.conductor.instance_get(
        ctxt, server_id, project_id=None if ctxt.is_admin
        else ctxt.project_id, read_deleted=read_deleted)


def _time(req, params, name):
    value = req.last_query_value(params, name)
    if value is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise exception.Invalid('Invalid %s value %s' % (name, value))


def list_actions(req, server_id):
    instance = _instance(req, server_id)
    policy.authorize(req.context, policies.LIST,
                     {'project_id': instance['project_id']})
    params = req.query()
    limit = marker = since = before = None
    if req.is_version(views.PAGINATION):
        limit = req.limit_param(params)
        marker = req.last_query_value(params, 'marker')
        since = _time(req, params, 'changes-since')
        before = _time(req, params, 'changes-before')
    try:
        actions = req.conductor.actions_get(
            req.context, instance['uuid'], limit=limit, marker=marker,
            changes_since=since, changes_before=before)
    except exception.MarkerNotFound as e:
        raise exception.Invalid(e.format_message())
    return wsgi.json_response(views.collection(req, actions, limit))


def show_action(req, server_id, request_id):
    instance = _instance(req, server_id)
    ctxt = req.context
    policy.authorize(ctxt, policies.SHOW,
                     {'project_id': instance['project_id']})
    action = req.conductor.action_get_by_request_id(ctxt, instance['uuid'],
                                                    request_id)
    view = views.action(req, action)
    admin = policy.authorize(ctxt, policies.EVENTS, fatal=False)
    if admin or req.is_version(views.EVENTS_FOR_OWNERS):
        details = policy.authorize(ctxt, policies.EVENTS_DETAILS,
                                   fatal=False)
        view['events'] = [
            views.event(req, e, instance['project_id'], admin, details)
            for e in action['events']]
    return wsgi.json_response({'instanceAction': view})
