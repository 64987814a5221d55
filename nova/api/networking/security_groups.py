"""Each project's one security group, ``default``, with no rules: the flat
network filters nothing (nova.network.api.FlatAPI)."""

_CREATED = '2026-01-01T00:00:00Z'


def list_groups(ctxt, api):
    return [{'id': group['id'], 'name': group['name'],
             'description': group['description'],
             'tenant_id': group['tenant_id'],
             'project_id': group['tenant_id'], 'stateful': True,
             'shared': False, 'security_group_rules': [], 'tags': [],
             'created_at': _CREATED, 'updated_at': _CREATED,
             'revision_number': 0}
            for group in api.security_groups(ctxt, ctxt.project_id)]


def list_rules(ctxt, api):
    return []
