"""nova.compute.keypairs.KeypairAPI with a fake conductor client."""

from unittest import mock

from oslo_config import cfg
import pytest

from nova.compute import keypairs
from nova import context as nova_context
from nova import crypto
import nova.conf


@pytest.fixture
def api():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    conductor = mock.Mock()
    conductor.keypair_create.side_effect = lambda ctxt, values, **kw: values
    return keypairs.KeypairAPI(conf, conductor)


CONTEXT = nova_context.RequestContext(user_id='u', project_id='p')


def test_an_imported_key_is_stored_stripped_with_its_fingerprint(api):
    _private, public, fingerprint = crypto.generate_key_pair(bits=1024)
    keypair, private_key = api.create(CONTEXT, 'u', 'k',
                                      public_key=public + '\n')
    assert private_key is None
    assert keypair == {'name': 'k', 'user_id': 'u', 'type': 'ssh',
                       'public_key': public.strip(),
                       'fingerprint': fingerprint}
    # The quota is the conductor's to check, with the API's defaults.
    assert api.conductor.keypair_create.call_args[1]['quota_defaults'][
        'key_pairs'] == api.conf.quota.key_pairs


@pytest.mark.parametrize('key_type', ['ssh', 'x509'])
def test_a_generated_pair_gives_its_private_key_once(api, key_type):
    keypair, private_key = api.create(CONTEXT, 'u', 'k', key_type=key_type)
    assert private_key
    assert keypair['type'] == key_type
    assert 'PRIVATE KEY' not in keypair['public_key']
