"""Key pairs: generated (ssh or x509) or imported, and their quota
(upstream's KeypairAPI in nova/compute/api.py)."""

from nova import crypto
from nova import quota


class KeypairAPI:
    """Reached by the handlers as req.compute_api.keypairs."""

    def __init__(self, conf, conductor):
        self.conf = conf
        self.conductor = conductor

    def create(self, context, user_id, name, key_type='ssh',
               public_key=None):
        """A key pair of user_id: public_key imported, or a new pair
        generated.  Returns (the key pair, its private key or None).

        The key_pairs quota (the user's, in the caller's project) is
        checked in the transaction that adds the key pair: 403 when it is
        reached.
        """
        private_key = None
        if public_key is None and key_type == 'x509':
            private_key, public_key, fingerprint = crypto.generate_x509_pair(
                '%s-%s' % (user_id, context.project_id))
        elif public_key is None:
            private_key, public_key, fingerprint = crypto.generate_key_pair()
        elif key_type == 'x509':
            fingerprint = crypto.x509_fingerprint(public_key)
        else:
            fingerprint = crypto.ssh_fingerprint(public_key)
        keypair = self.conductor.keypair_create(context, {
            'name': name, 'user_id': user_id, 'type': key_type,
            'public_key': public_key.strip(), 'fingerprint': fingerprint},
            quota_defaults=quota.defaults(self.conf))
        return keypair, private_key
