"""Console auth tokens: the consoles given out, by the SHA-256 of their
token (the token itself is never stored), until they expire."""

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session

_TOKENS = models.ConsoleAuthToken.__table__
_INSTANCES = models.Instance.__table__
# What a token's row tells its reader: never the hash.
_SHOWN = [c for c in _TOKENS.c if c.name != 'token_hash']


def _row_dict(row):
    return {c.name: row._mapping[c.name] for c in _SHOWN}


def console_auth_token_create(values):
    """Store a token's row (values has token_hash and expires); returns
    it without the hash."""
    with db_session.write_connection() as conn:
        result = conn.execute(sa.insert(_TOKENS).values(**values))
        row = conn.execute(sa.select(*_SHOWN).where(
            _TOKENS.c.id == result.inserted_primary_key[0])).one()
        return _row_dict(row)


def console_auth_token_get_valid(token_hash, now):
    """The token's row, with compute_host (its instance's host), when it
    has not expired (expires > now) and its instance is not deleted; else
    None."""
    with db_session.read_connection() as conn:
        row = conn.execute(
            sa.select(*_SHOWN, _INSTANCES.c.host.label('compute_host'))
            .join(_INSTANCES, _INSTANCES.c.uuid == _TOKENS.c.instance_uuid)
            .where(_TOKENS.c.token_hash == token_hash,
                   _TOKENS.c.expires > now,
                   _INSTANCES.c.deleted == 0)).first()
    if row is None:
        return None
    token = _row_dict(row)
    token['compute_host'] = row.compute_host
    return token


def destroy_all_by_instance_in(conn, instance_uuid):
    """In the transaction that deletes the instance or changes its host."""
    conn.execute(sa.delete(_TOKENS).where(
        _TOKENS.c.instance_uuid == instance_uuid))


def console_auth_tokens_destroy_expired(now):
    """Delete the tokens expired at now; returns how many."""
    with db_session.write_connection() as conn:
        return conn.execute(sa.delete(_TOKENS).where(
            _TOKENS.c.expires <= now)).rowcount
