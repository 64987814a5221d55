"""Key pair representations, per microversion."""

from nova.api.views import common

KEY_TYPE = (2, 2)
USER_ID_PARAM = (2, 10)
PAGINATION = (2, 35)
PUBLIC_KEY_REQUIRED = (2, 92)


def _base(req, keypair):
    view = {'name': keypair['name'], 'public_key': keypair['public_key'],
            'fingerprint': keypair['fingerprint']}
    if req.is_version(KEY_TYPE):
        view['type'] = keypair['type']
    return view


def created(req, keypair, private_key=None):
    view = _base(req, keypair)
    view['user_id'] = keypair['user_id']
    if private_key is not None:
        view['private_key'] = private_key
    return {'keypair': view}


def show(req, keypair):
    view = _base(req, keypair)
    view.update({
        'id': keypair['id'],
        'user_id': keypair['user_id'],
        'created_at': common.isotime(keypair['created_at']),
        'updated_at': common.isotime(keypair['updated_at']),
        'deleted': bool(keypair['deleted']),
        'deleted_at': common.isotime(keypair['deleted_at']),
    })
    return {'keypair': view}


def collection(req, keypairs, limit):
    body = {'keypairs': [{'keypair': _base(req, k)} for k in keypairs]}
    if limit is not None:
        links = common.next_links(req, keypairs, limit, 'name')
        if links:
            body['keypairs_links'] = links
    return body
