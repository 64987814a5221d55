"""/servers/{id}/os-server-password: the encrypted administrative
password a guest posted (empty when none), and clearing it.

It lives in the instance's system_metadata in upstream's layout: up to
four chunks of 255 characters, ``password_0`` to ``password_3``.
"""

from nova.api.handlers import servers
from nova.api.policies import server_password as policies
from nova.api.views import server_password as views
from nova.api import wsgi

CHUNKS = 4
CHUNK_LENGTH = 255


def chunk_keys():
    return ['password_%d' % n for n in range(CHUNKS)]


def extract(system_metadata):
    return ''.join((system_metadata or {}).get(key) or ''
                   for key in chunk_keys())


def to_system_metadata(password):
    """The system_metadata items that store password ('' clears it)."""
    password = password or ''
    return {key: password[n * CHUNK_LENGTH:(n + 1) * CHUNK_LENGTH]
            for n, key in enumerate(chunk_keys())}


def show_password(req, server_id):
    instance = servers.get_authorized_instance(req, server_id, policies.SHOW)
    return wsgi.json_response(
        views.show(extract(instance.get('system_metadata'))))


def clear_password(req, server_id):
    instance = servers.get_authorized_instance(req, server_id, policies.CLEAR)
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.update(to_system_metadata(''))
    req.conductor.instance_update(req.context, instance['uuid'],
                                  {'system_metadata': system_metadata})
    return wsgi.empty_response(204)
