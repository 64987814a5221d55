"""Server groups: upstream's nova/policies/server_groups.py.  A project's
member creates its groups, its reader lists and reads them; listing every
project's groups is for admins."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-server-groups:%s'
CREATE = PREFIX % 'create'
DELETE = PREFIX % 'delete'
INDEX = PREFIX % 'index'
INDEX_ALL_PROJECTS = PREFIX % 'index:all_projects'
SHOW = PREFIX % 'show'

_GROUPS = '/os-server-groups'
_GROUP = '/os-server-groups/{server_group_id}'

rules = [
    base.rule(name, check_str, description, (method, path))
    for name, check_str, description, method, path in (
        (CREATE, base.PROJECT_MEMBER, 'Create a new server group', 'POST',
         _GROUPS),
        (DELETE, base.PROJECT_MEMBER_OR_ADMIN, 'Delete a server group',
         'DELETE', _GROUP),
        (INDEX, base.PROJECT_READER_OR_ADMIN,
         'List the server groups of the project', 'GET', _GROUPS),
        (INDEX_ALL_PROJECTS, base.ADMIN,
         'List the server groups of every project', 'GET', _GROUPS),
        (SHOW, base.PROJECT_READER_OR_ADMIN, 'Show a server group', 'GET',
         _GROUP))
]


def list_rules():
    return rules
