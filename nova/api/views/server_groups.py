"""Representations of server groups, per microversion: 'policies' (one)
and 'metadata' before 2.64, 'policy' and 'rules' from 2.64; the owner
from 2.13."""

from nova.api.schemas import server_groups as schemas

OWNER = (2, 13)


def group(req, row):
    view = {'id': row['uuid'], 'name': row['name'],
            'members': list(row['members'])}
    if req.is_version(schemas.POLICY_AND_RULES):
        view['policy'] = row['policy']
        view['rules'] = dict(row['rules'] or {})
    else:
        view['policies'] = [row['policy']]
        view['metadata'] = {}
    if req.is_version(OWNER):
        view['project_id'] = row['project_id']
        view['user_id'] = row['user_id']
    return view


def single(req, row):
    return {'server_group': group(req, row)}


def collection(req, rows):
    return {'server_groups': [group(req, row) for row in rows]}
