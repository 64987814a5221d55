"""Limits representation, per microversion."""

NO_NETWORK_LIMITS = (2, 36)
NO_IMAGE_META = (2, 39)
NO_PERSONALITY = (2, 57)


def absolute(req, limits, usage, conf):
    view = {
        'maxServerMeta': conf.quota.metadata_items,
        'maxTotalCores': limits['cores'],
        'maxTotalInstances': limits['instances'],
        'maxTotalKeypairs': conf.quota.key_pairs,
        'maxTotalRAMSize': limits['ram'],
        'maxServerGroups': conf.quota.server_groups,
        'maxServerGroupMembers': conf.quota.server_group_members,
        'totalCoresUsed': usage['cores'],
        'totalInstancesUsed': usage['instances'],
        'totalRAMUsed': usage['ram'],
        'totalServerGroupsUsed': 0,
    }
    if not req.is_version(NO_NETWORK_LIMITS):
        view.update(maxSecurityGroups=10, maxSecurityGroupRules=20,
                    maxTotalFloatingIps=10, totalSecurityGroupsUsed=0,
                    totalFloatingIpsUsed=0)
    if not req.is_version(NO_IMAGE_META):
        view['maxImageMeta'] = conf.quota.metadata_items
    if not req.is_version(NO_PERSONALITY):
        view.update(maxPersonality=5, maxPersonalitySize=10240)
    return {'limits': {'rate': [], 'absolute': view}}
