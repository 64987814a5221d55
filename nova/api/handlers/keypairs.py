"""/os-keypairs: create (generated or imported), list, show, delete."""

from nova.api.policies import keypairs as policies
from nova.api import policy
from nova.api.schemas import keypairs as schemas
from nova.api.views import keypairs as views
from nova.api import wsgi


def _target_user(req, params=None, body=None):
    """The user whose key pairs are meant; others' need admin (2.10)."""
    user_id = None
    if req.is_version(views.USER_ID_PARAM):
        if body is not None:
            user_id = body.get('user_id')
        elif params is not None:
            user_id = req.last_query_value(params, 'user_id')
    return user_id or req.context.user_id


def _authorize(req, rule, user_id):
    policy.authorize(req.context, rule, {'user_id': user_id,
                                         'project_id':
                                             req.context.project_id})


def _create_schema(req):
    if req.is_version(views.PUBLIC_KEY_REQUIRED):
        return schemas.create_v2_92
    if req.is_version(views.USER_ID_PARAM):
        return schemas.create_v2_10
    if req.is_version(views.KEY_TYPE):
        return schemas.create_v2_2
    return schemas.create


def create_keypair(req):
    body = req.body_json(_create_schema(req))['keypair']
    user_id = _target_user(req, body=body)
    _authorize(req, policies.CREATE, user_id)
    keypair, private_key = req.compute_api.keypairs.create(
        req.context, user_id, body['name'],
        key_type=body.get('type', 'ssh'), public_key=body.get('public_key'))
    status = 201 if req.is_version(views.KEY_TYPE) else 200
    return wsgi.json_response(views.created(req, keypair, private_key),
                              status=status)


def list_keypairs(req):
    params = req.query()
    user_id = _target_user(req, params=params)
    _authorize(req, policies.INDEX, user_id)
    limit = marker = None
    if req.is_version(views.PAGINATION):
        limit = req.limit_param(params)
        marker = req.last_query_value(params, 'marker')
    keypairs = req.conductor.keypair_get_all(req.context, user_id,
                                             limit=limit, marker=marker)
    return wsgi.json_response(views.collection(req, keypairs, limit))


def show_keypair(req, keypair_name):
    user_id = _target_user(req, params=req.query())
    _authorize(req, policies.SHOW, user_id)
    keypair = req.conductor.keypair_get(req.context, user_id, keypair_name)
    return wsgi.json_response(views.show(req, keypair))


def delete_keypair(req, keypair_name):
    user_id = _target_user(req, params=req.query())
    _authorize(req, policies.DELETE, user_id)
    req.conductor.keypair_destroy(req.context, user_id, keypair_name)
    return wsgi.empty_response(204 if req.is_version(views.KEY_TYPE)
                               else 202)
