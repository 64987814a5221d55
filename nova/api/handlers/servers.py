"""/servers: create, list, show, rename, delete; actions start here."""

from oslo_utils import strutils
from oslo_utils import timeutils

from nova.api.policies import servers as policies
from nova.api import policy
from nova.api.schemas import servers as schemas
from nova.api.views import servers as views
from nova.api import wsgi
from nova.compute import states
from nova import exception
from nova import servicegroup

STRICT_QUERY = (2, 75)
TAG_FILTERS = (2, 26)
STRICT_STATUS = (2, 38)
CHANGES_BEFORE = (2, 66)
LOCKED_FILTER = (2, 73)
MORE_FILTERS = (2, 83)
HOSTNAME_FILTER = (2, 90)

_PAGING = {'limit', 'marker', 'sort_key', 'sort_dir'}
_USER_FILTERS = {'name', 'status', 'image', 'flavor', 'changes-since', 'ip',
                 'ip6', 'reservation_id', 'all_tenants', 'deleted'}
_ADMIN_FILTERS = {'host', 'node', 'project_id', 'tenant_id', 'uuid'}
# Comma-separated lists of tags (2.26): has all, has any, lacks one of,
# has none of.
_TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
# Later filters: query name -> column.
_COLUMN_FILTERS = {
    'availability_zone': MORE_FILTERS, 'key_name': MORE_FILTERS,
    'vm_state': MORE_FILTERS, 'task_state': MORE_FILTERS,
    'power_state': MORE_FILTERS, 'user_id': MORE_FILTERS,
    'locked': LOCKED_FILTER, 'hostname': HOSTNAME_FILTER,
}
_API_SORT_KEYS = {'created_at', 'updated_at', 'display_name', 'uuid',
                  'vm_state', 'task_state', 'power_state', 'launched_at',
                  'terminated_at', 'availability_zone', 'key_name',
                  'hostname', 'image_ref', 'memory_mb', 'vcpus', 'root_gb',
                  'locked', 'progress', 'launch_index', 'config_drive',
                  'user_id', 'project_id', 'display_description', 'host',
                  'node'}
_ADMIN_SORT_KEYS = {'host', 'node'}


def get_instance(req, server_id, read_deleted='no'):
    ctxt = req.context
    return req.conductor.instance_get(
        ctxt, server_id, project_id=None if ctxt.is_admin
        else ctxt.project_id, read_deleted=read_deleted)


def get_authorized_instance(req, server_id, rule):
    """The server (404 unless the caller's project's, or an admin's),
    then rule checked against its project and user."""
    instance = get_instance(req, server_id)
    policy.authorize(req.context, rule,
                     {'project_id': instance['project_id'],
                      'user_id': instance['user_id']})
    return instance


def _host_statuses(req):
    """host -> UP / DOWN / MAINTENANCE / UNKNOWN of its compute service."""
    return _statuses(req.conf, req.conductor.service_get_all(
        req.context, binary='nova-compute'))


def _statuses(conf, services):
    result = {}
    for service in services:
        if service['forced_down']:
            status = 'DOWN'
        elif service['disabled']:
            status = 'MAINTENANCE'
        elif servicegroup.service_is_up(service, conf.service_down_time):
            status = 'UP'
        else:
            status = 'UNKNOWN'
        result[service['host']] = status
    return result


def extra_specs_shown(req):
    """Whether server views embed the flavor's extra_specs (2.47+)."""
    return policy.authorize(req.context, policies.SHOW_FLAVOR_EXTRA_SPECS,
                            fatal=False)


def view_options(req):
    ctxt = req.context
    admin_fields = policy.authorize(ctxt, policies.EXTENDED_ATTRIBUTES,
                                    fatal=False)
    statuses = None
    if _shows_host_status(req):
        statuses = _host_statuses(req)
    return admin_fields, statuses


def server_groups(req, instance):
    """The groups the server is a member of, for the views that show them
    (2.71+); only a server created with a group hint can be one, so the
    others cost no lookup."""
    if not req.is_version(views.SERVER_GROUPS):
        return None
    if not (instance.get('scheduler_hints') or {}).get('group'):
        return []
    return req.conductor.server_group_get_by_instance(req.context,
                                                      instance['uuid'])


def _shows_host_status(req):
    return req.is_version(views.HOST_STATUS) and policy.authorize(
        req.context, policies.SHOW_HOST_STATUS, fatal=False)


def host_status(statuses, instance):
    if statuses is None:
        return None
    if not instance['host']:
        return ''
    return statuses.get(instance['host'], 'UNKNOWN')


# Listing

def _bool(value, name):
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.Invalid('Invalid value %r for %s' % (value, name))


def _time(value, name):
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise exception.Invalid('Invalid %s value %s' % (name, value))


def _list_options(req, detail):
    ctxt = req.context
    params = req.query()
    get = req.last_query_value
    allowed = _PAGING | _USER_FILTERS | _ADMIN_FILTERS
    allowed |= {k for k, v in _COLUMN_FILTERS.items() if req.is_version(v)}
    if req.is_version(CHANGES_BEFORE):
        allowed.add('changes-before')
    if req.is_version(TAG_FILTERS):
        allowed.update(_TAG_FILTERS)
    unknown = set(params) - allowed
    if unknown and req.is_version(STRICT_QUERY):
        raise exception.ValidationError(
            detail='Invalid input for query parameters %s. Additional '
                   'properties are not allowed.' % ', '.join(sorted(unknown)))
    admin = policy.authorize(ctxt, policies.ALLOW_ALL_FILTERS, fatal=False)
    filters, regex, read_deleted = {}, {}, 'no'

    all_tenants = 'all_tenants' in params and (
        get(params, 'all_tenants') in ('', None) or
        _bool(get(params, 'all_tenants'), 'all_tenants'))
    if all_tenants:
        policy.authorize(ctxt, policies.DETAIL_ALL_TENANTS if detail
                         else policies.INDEX_ALL_TENANTS)
        project = get(params, 'project_id') or get(params, 'tenant_id')
        if project and admin:
            filters['project_id'] = project
    else:
        filters['project_id'] = ctxt.project_id

    if get(params, 'name'):
        regex['display_name'] = get(params, 'name')
    if get(params, 'ip'):
        regex['ip'] = get(params, 'ip')
    if params.get('status'):
        filters['status_states'] = _status_states(req, params['status'])
        if 'DELETED' in [s.upper() for s in params['status']]:
            if not admin:
                raise exception.Forbidden('Only administrators may list '
                                          'deleted instances')
            read_deleted = 'yes'
    if get(params, 'image'):
        filters['image_ref'] = get(params, 'image').rstrip('/').rsplit(
            '/', 1)[-1]
    if get(params, 'flavor'):
        filters['flavorid'] = get(params, 'flavor').rstrip('/').rsplit(
            '/', 1)[-1]
    if get(params, 'reservation_id'):
        filters['reservation_id'] = get(params, 'reservation_id')
    if get(params, 'changes-since'):
        filters['changes_since'] = _time(get(params, 'changes-since'),
                                         'changes-since')
        read_deleted = 'yes'
    if get(params, 'changes-before') and req.is_version(CHANGES_BEFORE):
        filters['changes_before'] = _time(get(params, 'changes-before'),
                                          'changes-before')
        read_deleted = 'yes'
    if 'deleted' in params:
        # Clients send the literal deleted=False; only admins see deleted.
        if _bool(get(params, 'deleted'), 'deleted'):
            if admin:
                read_deleted = 'only'
        elif read_deleted != 'yes':
            read_deleted = 'no'
    if req.is_version(TAG_FILTERS):
        for key in _TAG_FILTERS:
            if key in params:
                filters[key] = get(params, key).split(',')
    for key in ('host', 'node'):
        if get(params, key) and admin:
            filters[key] = get(params, key)
    if get(params, 'uuid') and admin:
        filters['uuids'] = params['uuid']
    for key, version in _COLUMN_FILTERS.items():
        if key in params and req.is_version(version):
            value = get(params, key)
            if key == 'locked':
                value = _bool(value, key)
            elif key == 'power_state':
                value = int(value) if value.isdigit() else value
            filters[key] = value
    return params, filters, regex, read_deleted


def _status_states(req, statuses):
    combined = {}
    for status in statuses:
        status = status.upper()
        if status not in states.ALL_STATUSES:
            if req.is_version(STRICT_STATUS):
                raise exception.Invalid('Invalid status value')
            continue
        for vm_state, how in states.states_for_status(status).items():
            combined[vm_state] = how
    if not combined:
        combined = {'__none__': ('in', [])}
    return combined


def _sort(req, params):
    keys = params.get('sort_key') or []
    dirs = params.get('sort_dir') or []
    sort_keys, sort_dirs = [], []
    for index, key in enumerate(keys):
        direction = dirs[index] if index < len(dirs) else 'desc'
        if key not in _API_SORT_KEYS or direction not in ('asc', 'desc'):
            if req.is_version(STRICT_QUERY):
                raise exception.Invalid('Invalid sort_key %s or sort_dir %s'
                                        % (key, direction))
            continue
        if key in _ADMIN_SORT_KEYS and not policy.authorize(
                req.context, policies.ALLOW_ALL_FILTERS, fatal=False):
            raise exception.Forbidden('Only administrators can sort '
                                      'servers by %s' % key)
        sort_keys.append(key)
        sort_dirs.append(direction)
    if not sort_keys:
        return ['created_at', 'id'], ['desc', 'desc']
    return sort_keys, sort_dirs


def _list(req, detail):
    ctxt = req.context
    policy.authorize(ctxt, policies.DETAIL if detail else policies.INDEX)
    params, filters, regex, read_deleted = _list_options(req, detail)
    sort_keys, sort_dirs = _sort(req, params)
    limit = req.limit_param(params)
    query = dict(filters=filters, sort_keys=sort_keys, sort_dirs=sort_dirs,
                 limit=limit, marker=req.last_query_value(params, 'marker'),
                 read_deleted=read_deleted, regex_filters=regex or None)
    if not detail:
        instances = req.conductor.instance_get_all(
            ctxt, columns=views.BASIC_KEYS, **query)
        return wsgi.json_response(views.collection(req, instances,
                                                   views.basic, limit))
    admin_fields = policy.authorize(ctxt, policies.EXTENDED_ATTRIBUTES,
                                    fatal=False)
    statuses = None
    if _shows_host_status(req):
        # One conductor call: the servers and the compute services.
        instances, services = req.conductor.instance_get_all_with_services(
            ctxt, columns=views.DETAIL_KEYS, **query)
        statuses = _statuses(req.conf, services)
    else:
        instances = req.conductor.instance_get_all(
            ctxt, columns=views.DETAIL_KEYS, **query)

    view = views.ServerView(req, admin_fields,
                            show_extra_specs=extra_specs_shown(req))

    def builder(req, instance):
        return view(instance, host_status(statuses, instance))
    return wsgi.json_response(views.collection(req, instances, builder,
                                               limit))


def list_servers(req):
    return _list(req, detail=False)


def list_servers_detail(req):
    return _list(req, detail=True)


def show_server(req, server_id):
    ctxt = req.context
    policy.authorize(ctxt, policies.SHOW)
    admin_fields = policy.authorize(ctxt, policies.EXTENDED_ATTRIBUTES,
                                    fatal=False)
    statuses = None
    if _shows_host_status(req):
        # One conductor call: the instance and its host's compute service
        # (what a client polling a server asks for again and again).
        instance, services = req.conductor.instance_get_with_host_services(
            ctxt, server_id,
            project_id=None if ctxt.is_admin else ctxt.project_id)
        statuses = _statuses(req.conf, services)
    else:
        instance = get_instance(req, server_id)
    return wsgi.json_response({'server': views.show(
        req, instance, admin_fields, host_status(statuses, instance),
        show_server_groups=True, server_groups=server_groups(req, instance),
        show_extra_specs=extra_specs_shown(req))})


# Changes

def create_server(req):
    ctxt = req.context
    policy.authorize(ctxt, policies.CREATE)
    body = req.body_json(schemas.create(req.version))
    hints = body.get('os:scheduler_hints') or \
        body.get('OS-SCH-HNT:scheduler_hints') or {}
    instances, password, reservation_id = req.compute_api.create(
        ctxt, body['server'], hints,
        lambda: policy.authorize(ctxt, policies.CREATE_FORCED_HOST),
        lambda: policy.authorize(ctxt,
                                 policies.CREATE_REQUESTED_DESTINATION))
    if _bool(str(body['server'].get('return_reservation_id', False)),
             'return_reservation_id'):
        return wsgi.json_response(views.reservation_body(reservation_id),
                                  status=202)
    if not req.conf.api.enable_instance_password:
        password = None
    instance = instances[0]
    return wsgi.json_response(
        views.created(req, instance, password), status=202,
        headers={'Location': req.link('servers', instance['uuid'])})


def update_server(req, server_id):
    policy.authorize(req.context, policies.UPDATE)
    body = req.body_json(schemas.update(req.version))['server']
    instance = req.compute_api.update(
        req.context, get_instance(req, server_id), body)
    admin_fields, statuses = view_options(req)
    return wsgi.json_response(views.update_body(
        req, instance, admin_fields, host_status(statuses, instance),
        server_groups=server_groups(req, instance),
        show_extra_specs=extra_specs_shown(req)))


def delete_server(req, server_id):
    policy.authorize(req.context, policies.DELETE)
    req.compute_api.delete(req.context, get_instance(req, server_id))
    return wsgi.empty_response(204)


def force_delete(req, server_id, body):
    policy.authorize(req.context, policies.FORCE_DELETE)
    req.compute_api.force_delete(req.context, get_instance(req, server_id))
    return wsgi.empty_response(202)
