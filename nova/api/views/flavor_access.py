"""Representation of who may use a private flavor."""

# addTenantAccess refuses a public flavor (409).
PUBLIC_FLAVOR_REFUSED = (2, 7)


def collection(flavor):
    return {'flavor_access': [
        {'flavor_id': flavor['flavorid'], 'tenant_id': project_id}
        for project_id in flavor['projects']]}
