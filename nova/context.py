"""The request context that travels with every request and RPC message.

A context carries who is asking (user, project, roles) and the request ids
that tie together the log lines of every service touched by one request.
Creating one makes it the current context of the thread, which is what
oslo.log reads when it formats a line.
"""

from oslo_context import context as oslo_context
from oslo_utils import timeutils

TIMESTAMP_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


class RequestContext(oslo_context.RequestContext):

    def __init__(self, user_id=None, project_id=None, is_admin=None,
                 read_deleted='no', remote_address=None, timestamp=None,
                 user_name=None, project_name=None, **kwargs):
        kwargs.setdefault('user_id', user_id)
        kwargs.setdefault('project_id', project_id)
        super().__init__(is_admin=bool(is_admin), user_name=user_name,
                         project_name=project_name, **kwargs)
        if is_admin is None:
            self.is_admin = 'admin' in [r.lower() for r in self.roles]
        self.read_deleted = read_deleted
        self.remote_address = remote_address
        if isinstance(timestamp, str):
            timestamp = timeutils.parse_strtime(timestamp, TIMESTAMP_FORMAT)
        self.timestamp = timestamp or timeutils.utcnow()

    def to_dict(self):
        values = super().to_dict()
        values.update({
            'user_id': self.user_id,
            'project_id': self.project_id,
            'is_admin': self.is_admin,
            'read_deleted': self.read_deleted,
            'remote_address': self.remote_address,
            'timestamp': self.timestamp.strftime(TIMESTAMP_FORMAT),
            'user_name': self.user_name,
            'project_name': self.project_name,
        })
        return values

    @classmethod
    def from_dict(cls, values):
        return cls(
            user_id=values.get('user_id'),
            project_id=values.get('project_id'),
            is_admin=values.get('is_admin'),
            read_deleted=values.get('read_deleted', 'no'),
            remote_address=values.get('remote_address'),
            timestamp=values.get('timestamp'),
            user_name=values.get('user_name'),
            project_name=values.get('project_name'),
            roles=values.get('roles', []),
            request_id=values.get('request_id'),
            global_request_id=values.get('global_request_id'),
            auth_token=values.get('auth_token'),
            is_admin_project=values.get('is_admin_project', True),
            system_scope=values.get('system_scope'),
            domain_id=values.get('domain'),
            user_domain_id=values.get('user_domain'),
            project_domain_id=values.get('project_domain'),
            overwrite=True,
        )

    def elevated(self):
        """An admin copy of this context, keeping its request ids."""
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles = list(ctx.roles) + ['admin']
        return ctx


def get_admin_context(read_deleted='no'):
    """A context for work no user asked for: periodic tasks, startup.

    Each gets a fresh request id so its lines can still be followed.
    """
    return RequestContext(is_admin=True, read_deleted=read_deleted,
                          roles=['admin'], overwrite=False)


def bind(ctxt):
    """Make ctxt the current context of this thread (for log lines)."""
    ctxt.update_store()
    return ctxt
