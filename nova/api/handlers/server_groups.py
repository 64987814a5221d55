"""/os-server-groups: groups of servers that the scheduler keeps together
(affinity) or apart (anti-affinity), hard or soft (2.15).

Members join at server create (the ``group`` scheduler hint) and leave
when deleted.  Another project's group is a 403, as upstream's (its
policy checks the group's project); one that does not exist a 404.
"""

from nova.api.policies import server_groups as policies
from nova.api import policy
from nova.api.schemas import server_groups as schemas
from nova.api.views import server_groups as views
from nova.api import wsgi
from nova import exception


def _group(req, group_id, rule):
    row = req.conductor.server_group_get(req.context, group_id)
    policy.authorize(req.context, rule, {'project_id': row['project_id']})
    return row


def create(req):
    ctxt = req.context
    policy.authorize(ctxt, policies.CREATE,
                     {'project_id': ctxt.project_id,
                      'user_id': ctxt.user_id})
    body = req.body_json(schemas.create(req.version))['server_group']
    if req.is_version(schemas.POLICY_AND_RULES):
        group_policy = body['policy']
        rules = dict(body.get('rules') or {})
        if rules and group_policy != 'anti-affinity':
            raise exception.Invalid(
                'Only anti-affinity policy supports rules.')
        if 'max_server_per_host' in rules:
            rules['max_server_per_host'] = int(rules['max_server_per_host'])
    else:
        (group_policy,) = body['policies']
        rules = {}
    row = req.compute_api.server_groups.create(ctxt, body['name'],
                                               group_policy, rules)
    return wsgi.json_response(views.single(req, row))


def list_groups(req):
    ctxt = req.context
    policy.authorize(ctxt, policies.INDEX)
    params = req.query()
    project_id = ctxt.project_id
    # As upstream: all_projects from someone it is not for lists their
    # own project's, no error.
    if 'all_projects' in params and policy.authorize(
            ctxt, policies.INDEX_ALL_PROJECTS, fatal=False):
        project_id = None
    limit = req.limit_param(params)
    offset = req.int_param(params, 'offset') or 0
    rows = req.conductor.server_group_get_all(
        ctxt, project_id=project_id, limit=limit, offset=offset)
    return wsgi.json_response(views.collection(req, rows))


def show(req, server_group_id):
    row = _group(req, server_group_id, policies.SHOW)
    return wsgi.json_response(views.single(req, row))


def delete(req, server_group_id):
    _group(req, server_group_id, policies.DELETE)
    req.compute_api.server_groups.delete(req.context, server_group_id)
    return wsgi.empty_response(204)
