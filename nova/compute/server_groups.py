"""Server groups: their creation within the server_groups quota, and
their deletion (members join at server create and leave when deleted)."""

from nova import quota


class ServerGroupAPI:
    """Reached by the handlers as req.compute_api.server_groups."""

    def __init__(self, conf, conductor):
        self.conf = conf
        self.conductor = conductor

    def create(self, context, name, group_policy, rules=None):
        """A group of the caller's project and user; the server_groups
        limit of that user (else its project's) is checked in the
        transaction that adds it (403 when reached)."""
        limit = quota.project_limits(self.conf, self.conductor, context,
                                     context.project_id,
                                     context.user_id)['server_groups']
        return self.conductor.server_group_create(
            context, {'name': name, 'project_id': context.project_id,
                      'user_id': context.user_id, 'policy': group_policy,
                      'rules': rules or {}}, quota_limit=limit)

    def delete(self, context, group_id):
        self.conductor.server_group_delete(context, group_id)
