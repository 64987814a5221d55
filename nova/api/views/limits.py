"""Limits representation, per microversion: upstream's names of the
project's quotas ({resource: {'limit', 'in_use'}})."""

NO_NETWORK_LIMITS = (2, 36)
NO_IMAGE_META = (2, 39)
NO_PERSONALITY = (2, 57)

# [(name in the view, quota resource)]
_LIMITS = [('maxServerMeta', 'metadata_items'),
           ('maxTotalCores', 'cores'),
           ('maxTotalInstances', 'instances'),
           ('maxTotalKeypairs', 'key_pairs'),
           ('maxTotalRAMSize', 'ram'),
           ('maxServerGroups', 'server_groups'),
           ('maxServerGroupMembers', 'server_group_members')]
_USED = [('totalCoresUsed', 'cores'),
         ('totalInstancesUsed', 'instances'),
         ('totalRAMUsed', 'ram'),
         ('totalServerGroupsUsed', 'server_groups')]
_NETWORK_LIMITS = [('maxSecurityGroups', 'security_groups'),
                   ('maxSecurityGroupRules', 'security_group_rules'),
                   ('maxTotalFloatingIps', 'floating_ips')]
_NETWORK_USED = [('totalSecurityGroupsUsed', 'security_groups'),
                 ('totalFloatingIpsUsed', 'floating_ips')]
_PERSONALITY = [('maxPersonality', 'injected_files'),
                ('maxPersonalitySize', 'injected_file_content_bytes')]


def absolute(req, quotas):
    limits = _LIMITS[:]
    used = _USED[:]
    if not req.is_version(NO_NETWORK_LIMITS):
        limits += _NETWORK_LIMITS
        used += _NETWORK_USED
    if not req.is_version(NO_IMAGE_META):
        limits.append(('maxImageMeta', 'metadata_items'))
    if not req.is_version(NO_PERSONALITY):
        limits += _PERSONALITY
    view = {name: quotas[resource]['limit'] for name, resource in limits}
    view.update((name, quotas[resource]['in_use'])
                for name, resource in used)
    return {'limits': {'rate': [], 'absolute': view}}
