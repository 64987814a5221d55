"""Console tokens: given out for a console (nova-api asks), checked by
the console proxies, deleted when they expire or their instance goes.

A token is a random UUID handed to the client once; only its SHA-256 is
stored, so a database dump opens no console.
"""

import hashlib
import time

from oslo_log import log as logging
from oslo_utils import uuidutils

from nova.db import console_auth_tokens as db_tokens
from nova import exception

LOG = logging.getLogger(__name__)


def token_hash(token):
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def authorize(conf, instance_uuid, console_type, host, port,
              access_url_base, internal_access_path=None):
    """Store a new token for the console at host:port of instance_uuid,
    valid for [consoleauth] token_ttl seconds; returns the token's row
    with the token (the only time it is seen)."""
    token = uuidutils.generate_uuid()
    expires = int(time.time()) + conf.consoleauth.token_ttl
    row = db_tokens.console_auth_token_create({
        'token_hash': token_hash(token), 'console_type': console_type,
        'host': host, 'port': port, 'instance_uuid': instance_uuid,
        'expires': expires, 'access_url_base': access_url_base,
        'internal_access_path': internal_access_path})
    LOG.info('Console token for %(type)s console %(host)s:%(port)s '
             'issued, expires at %(expires)d',
             {'type': console_type, 'host': host, 'port': port,
              'expires': expires}, instance_uuid=instance_uuid)
    row['token'] = token
    return row


def validate(token):
    """The token's row (with compute_host) or InvalidToken: unknown,
    expired, or its instance deleted."""
    row = db_tokens.console_auth_token_get_valid(token_hash(token or ''),
                                                 int(time.time()))
    if row is None:
        LOG.info('Console token refused: unknown, expired, or its server '
                 'deleted')
        raise exception.InvalidToken()
    LOG.debug('Console token valid for the %(type)s console at '
              '%(host)s:%(port)s until %(expires)d',
              {'type': row['console_type'], 'host': row['host'],
               'port': row['port'], 'expires': row['expires']},
              instance_uuid=row['instance_uuid'])
    return row


def clean_expired():
    count = db_tokens.console_auth_tokens_destroy_expired(int(time.time()))
    if count:
        LOG.info('Deleted %d expired console tokens', count)
    return count
