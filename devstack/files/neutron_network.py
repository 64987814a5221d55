"""The shared network of devstack/neutron.sh, and the security group
rules a new deployment needs, made through Neutron's API as the admin
(and demo) when missing.

    neutron_network.py AUTH_URL REGION NAME CIDR   (KEYSTONE_PASSWORD set)
"""

import os
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session

auth_url, region, name, cidr = sys.argv[1:5]
auth = v3.Password(auth_url=auth_url, username='admin',
                   password=os.environ['KEYSTONE_PASSWORD'],
                   project_name='admin', user_domain_id='default',
                   project_domain_id='default')
sess = session.Session(auth=auth, timeout=60)
where = {'service_type': 'network', 'interface': 'public',
         'region_name': region}


def call(method, path, **kwargs):
    return sess.request('/v2.0' + path, method, endpoint_filter=where,
                        **kwargs).json()


# Every project's default security group gets its rules from Neutron's
# template, which its database migration fills; a database made from
# Neutron's models (neutron_db_sync on SQLite and PostgreSQL) starts with
# none, and a default group that lets nothing out, DHCP included.  So the
# four rules the migration would add: all out, in from the group itself.
templates = call('GET', '/default-security-group-rules')[
    'default_security_group_rules']
if not templates:
    for direction, ethertype in (('egress', 'IPv4'), ('egress', 'IPv6'),
                                 ('ingress', 'IPv4'), ('ingress', 'IPv6')):
        rule = {'direction': direction, 'ethertype': ethertype,
                'used_in_default_sg': True,
                'used_in_non_default_sg': direction == 'egress',
                'description': 'Legacy default SG rule for %s traffic'
                               % direction}
        if direction == 'ingress':
            rule['remote_group_id'] = 'PARENT'
        call('POST', '/default-security-group-rules',
             json={'default_security_group_rule': rule})
    print('[nova] Neutron: default security group rules made',
          file=sys.stderr)

# Before the network: creating it makes the admin's default group.  A
# default group made before the rules were (an earlier stack.sh) gets
# them now: without an egress rule it would let nothing out.
for group in call('GET', '/security-groups',
                  params={'name': 'default'})['security_groups']:
    rules = group['security_group_rules']
    for ethertype in ('IPv4', 'IPv6'):
        if any(r['direction'] == 'egress' and r['ethertype'] == ethertype
               for r in rules):
            continue
        for direction, remote in (('egress', None),
                                  ('ingress', group['id'])):
            if any(r['direction'] == direction and
                   r['ethertype'] == ethertype and not r['protocol'] and
                   r['remote_group_id'] == remote and
                   not r['remote_ip_prefix'] for r in rules):
                continue
            call('POST', '/security-group-rules', json={
                'security_group_rule': {
                    'security_group_id': group['id'],
                    'direction': direction, 'ethertype': ethertype,
                    'remote_group_id': remote}})
        print('[nova] Neutron: default rules (%s) added to the default '
              'group of project %s' % (ethertype, group['project_id']),
              file=sys.stderr)


found = call('GET', '/networks', params={'name': name})['networks']
if found:
    network = found[0]
else:
    network = call('POST', '/networks', json={'network': {
        'name': name, 'shared': True,
        'description': 'Every project\'s (devstack/neutron.sh)'}})['network']
subnets = call('GET', '/subnets', params={
    'network_id': network['id']})['subnets']
if not subnets:
    subnets = [call('POST', '/subnets', json={'subnet': {
        'network_id': network['id'], 'name': name + '-subnet',
        'ip_version': 4, 'cidr': cidr}})['subnet']]
elif cidr not in [s['cidr'] for s in subnets]:
    print('[nova] WARNING: network %s keeps its subnet %s (not %s)'
          % (name, ', '.join(s['cidr'] for s in subnets), cidr),
          file=sys.stderr)
print('[nova] Neutron: network %s (%s), shared, subnet %s'
      % (name, network['id'], ', '.join(s['cidr'] for s in subnets)),
      file=sys.stderr)

# The demo project's default security group lets ping and ssh in from
# anywhere, as DevStack's does (Neutron's own default admits only the
# group's members).  Listed as demo, so that Neutron makes the group.
demo = session.Session(auth=v3.Password(
    auth_url=auth_url, username='demo',
    password=os.environ['KEYSTONE_PASSWORD'], project_name='demo',
    user_domain_id='default', project_domain_id='default'), timeout=60)


def demo_call(method, path, **kwargs):
    return demo.request('/v2.0' + path, method, endpoint_filter=where,
                        **kwargs).json()


group = demo_call('GET', '/security-groups',
                  params={'name': 'default'})['security_groups'][0]
wanted = [{'protocol': 'icmp'},
          {'protocol': 'tcp', 'port_range_min': 22, 'port_range_max': 22}]
for rule in wanted:
    have = any(r['direction'] == 'ingress' and r['ethertype'] == 'IPv4'
               and r['remote_ip_prefix'] in (None, '0.0.0.0/0')
               and r['remote_group_id'] is None
               and all(r.get(k) == v for k, v in rule.items())
               for r in group['security_group_rules'])
    if not have:
        demo_call('POST', '/security-group-rules', json={
            'security_group_rule': dict(
                rule, security_group_id=group['id'], direction='ingress',
                ethertype='IPv4', remote_ip_prefix='0.0.0.0/0')})
print('[nova] Neutron: demo\'s default security group lets ping and ssh in',
      file=sys.stderr)
