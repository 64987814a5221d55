"""Response bodies of /servers/{server_id}/os-security-groups."""


def security_group(group):
    """Upstream's fields of one group (the flat network's have no
    rules)."""
    return {'id': group['id'], 'name': group['name'],
            'description': group['description'],
            'tenant_id': group['tenant_id'],
            'rules': list(group['rules'])}


def collection(groups):
    return {'security_groups': [security_group(g) for g in groups]}
