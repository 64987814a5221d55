"""The legacy extension documents."""

# As upstream's v2.1 API describes every extension it lists.
NAMESPACE = 'http://docs.openstack.org/compute/ext/fake_xml'
UPDATED = '2014-12-03T00:00:00Z'


def show(alias, name, description):
    return {'alias': alias, 'name': name, 'description': description,
            'namespace': NAMESPACE, 'updated': UPDATED, 'links': []}
