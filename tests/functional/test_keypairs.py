"""/os-keypairs: create, import, list, show, delete, per microversion.

Contract: compute-api-facts.md section 5.4 (and 7.1 for faults).  Key pairs
are per user, so every test works as its own fresh user and one cloud
serves the whole module.
"""

import base64
import datetime
import hashlib
import re
import urllib.parse
import uuid

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
import pytest

from tests.functional import fixtures

FINGERPRINT_RE = re.compile(r'^([0-9a-f]{2}:){15}[0-9a-f]{2}$')
SHA1_FINGERPRINT_RE = re.compile(r'^([0-9a-f]{2}:){19}[0-9a-f]{2}$')
SHOW_KEYS_2_1 = {'name', 'public_key', 'fingerprint', 'id', 'user_id',
                 'created_at', 'updated_at', 'deleted', 'deleted_at'}


# Heartbeats only at start (report_interval far beyond the module's run
# time, within service_down_time so services stay 'up'): periodic heartbeat
# writes racing the API's writes hit the shared-SQLite-connection bug that
# test_keypairs.test_concurrent_writes_by_different_users shows.
QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def user(api):
    """A client for a user of its own, in project 'demo'."""
    name = 'u%s' % uuid.uuid4().hex[:10]
    client = api.as_user('%s:demo' % name)
    client.user_id = name
    return client


@pytest.fixture
def other_user(api):
    name = 'o%s' % uuid.uuid4().hex[:10]
    client = api.as_user('%s:other' % name)
    client.user_id = name
    return client


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    assert resp.body[name]['message']
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _ssh_public_key(kind='rsa'):
    if kind == 'rsa':
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ed25519.Ed25519PrivateKey.generate()
    return key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode()


def _md5_fingerprint(public_key):
    blob = base64.b64decode(public_key.split()[1])
    digest = hashlib.md5(blob, usedforsecurity=False).digest()
    return ':'.join('%02x' % b for b in digest)


def _certificate():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    sha1 = ':'.join('%02x' % b for b in cert.fingerprint(hashes.SHA1()))
    return pem, sha1


def _create(client, name, version=None, **values):
    body = {'keypair': dict(name=name, **values)}
    return client.post('/v2.1/os-keypairs', body=body, version=version)


# --- create -----------------------------------------------------------------

def test_create_generated_at_2_1(user):
    resp = _create(user, 'gen')
    assert resp.status == 200, resp
    assert list(resp.body) == ['keypair']
    keypair = resp.body['keypair']
    assert set(keypair) == {'name', 'public_key', 'fingerprint', 'user_id',
                            'private_key'}
    assert keypair['name'] == 'gen'
    assert keypair['user_id'] == user.user_id
    assert FINGERPRINT_RE.match(keypair['fingerprint'])
    assert keypair['public_key'].startswith('ssh-rsa ')
    assert keypair['fingerprint'] == _md5_fingerprint(keypair['public_key'])
    assert 'PRIVATE KEY' in keypair['private_key']
    private = serialization.load_pem_private_key(
        keypair['private_key'].encode(), password=None)
    derived = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode()
    assert derived == keypair['public_key'].strip()


def test_create_generated_at_2_2(user):
    resp = _create(user, 'gen22', version='2.2')
    assert resp.status == 201, resp
    keypair = resp.body['keypair']
    assert set(keypair) == {'name', 'public_key', 'fingerprint', 'user_id',
                            'private_key', 'type'}
    assert keypair['type'] == 'ssh'
    assert keypair['user_id'] == user.user_id
    assert FINGERPRINT_RE.match(keypair['fingerprint'])


@pytest.mark.parametrize('kind', ['rsa', 'ed25519'])
def test_import_public_key(user, kind):
    public_key = _ssh_public_key(kind)
    resp = _create(user, 'imported', public_key=public_key)
    assert resp.status == 200, resp
    keypair = resp.body['keypair']
    assert set(keypair) == {'name', 'public_key', 'fingerprint', 'user_id'}
    assert 'private_key' not in keypair
    assert keypair['public_key'] == public_key
    assert keypair['fingerprint'] == _md5_fingerprint(public_key)
    assert FINGERPRINT_RE.match(keypair['fingerprint'])
    shown = user.get('/v2.1/os-keypairs/imported').body['keypair']
    assert shown['public_key'] == public_key
    assert shown['fingerprint'] == keypair['fingerprint']


def test_import_public_key_with_comment(user):
    public_key = _ssh_public_key() + ' me@example.com'
    resp = _create(user, 'commented', version='2.2', public_key=public_key)
    assert resp.status == 201, resp
    assert resp.body['keypair']['fingerprint'] == \
        _md5_fingerprint(public_key)
    assert resp.body['keypair']['type'] == 'ssh'


def test_import_x509_certificate(user):
    pem, sha1 = _certificate()
    resp = _create(user, 'cert', version='2.2', public_key=pem,
                   type='x509')
    assert resp.status == 201, resp
    keypair = resp.body['keypair']
    assert keypair['type'] == 'x509'
    assert keypair['fingerprint'] == sha1
    assert SHA1_FINGERPRINT_RE.match(keypair['fingerprint'])
    listed = user.get('/v2.1/os-keypairs', version='2.2').body
    assert listed['keypairs'][0]['keypair']['type'] == 'x509'


@pytest.mark.parametrize('public_key', [
    'ssh-rsa not-base64!!',
    'garbage',
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx',
    '',
])
def test_import_invalid_public_key_is_400(user, public_key):
    resp = _create(user, 'bad', public_key=public_key)
    _fault(resp, 400, 'badRequest')
    _fault(user.get('/v2.1/os-keypairs/bad'), 404, 'itemNotFound')


def test_generated_x509_key_pair(user):
    resp = _create(user, 'gen-cert', version='2.2', type='x509')
    assert resp.status == 201, resp
    keypair = resp.body['keypair']
    assert keypair['type'] == 'x509'
    # A self-signed certificate of the returned private key, named after
    # the user and project; the fingerprint is the certificate's SHA-1.
    cert = x509.load_pem_x509_certificate(keypair['public_key'].encode())
    private = serialization.load_pem_private_key(
        keypair['private_key'].encode(), password=None)
    assert cert.public_key().public_numbers() == \
        private.public_key().public_numbers()
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[
        0].value == '%s-demo' % user.user_id
    assert keypair['fingerprint'] == ':'.join(
        '%02x' % b for b in cert.fingerprint(hashes.SHA1()))
    # Shown later without its private key.
    shown = user.get('/v2.1/os-keypairs/gen-cert', version='2.2').body[
        'keypair']
    assert shown['type'] == 'x509' and 'private_key' not in shown
    assert shown['public_key'] == keypair['public_key'].strip()


def test_invalid_x509_is_400(user):
    resp = _create(user, 'badcert', version='2.2',
                   public_key='-----BEGIN CERTIFICATE-----\nxx\n',
                   type='x509')
    msg = _fault(resp, 400, 'badRequest')
    assert 'X509' in msg or 'x509' in msg


def test_invalid_type_is_400(user):
    resp = _create(user, 'typed', version='2.2', type='rsa')
    msg = _fault(resp, 400, 'badRequest')
    assert 'type' in msg
    # type is unknown before 2.2
    resp = _create(user, 'typed', type='ssh')
    _fault(resp, 400, 'badRequest')


def test_duplicate_name_is_409(user):
    assert _create(user, 'dup').status == 200
    resp = _create(user, 'dup', public_key=_ssh_public_key())
    _fault(resp, 409, 'conflictingRequest', "Key pair 'dup' already exists.")
    resp = _create(user, 'dup', version='2.2')
    _fault(resp, 409, 'conflictingRequest', "Key pair 'dup' already exists.")


def test_same_name_for_different_users(user, other_user):
    assert _create(user, 'shared-name').status == 200
    resp = _create(other_user, 'shared-name')
    assert resp.status == 200
    assert resp.body['keypair']['user_id'] == other_user.user_id


@pytest.mark.parametrize('name', ['bad!name', 'a/b', 'x' * 256, 'tab\tname',
                                  'name@host', 'dot.name', ''])
def test_invalid_name_is_400(user, name):
    resp = _create(user, name)
    msg = _fault(resp, 400, 'badRequest')
    assert 'name' in msg
    assert user.get('/v2.1/os-keypairs').body == {'keypairs': []}


def test_names_allowed_before_2_92(user):
    for name in ('a', 'with space', 'under_score-dash', 'X' * 255):
        resp = _create(user, name, version='2.91')
        assert resp.status == 201, (name, resp)
        assert resp.body['keypair']['name'] == name


def test_missing_name_or_body_is_400(user):
    resp = user.post('/v2.1/os-keypairs', body={'keypair': {}})
    msg = _fault(resp, 400, 'badRequest')
    assert 'name' in msg
    resp = user.post('/v2.1/os-keypairs', body={'keypair': {
        'name': 'x', 'extra': 1}})
    _fault(resp, 400, 'badRequest')
    resp = user.post('/v2.1/os-keypairs', raw_body=b'{not json')
    msg = _fault(resp, 400, 'badRequest')
    assert msg.startswith('Malformed request body')
    resp = user.post('/v2.1/os-keypairs')
    _fault(resp, 400, 'badRequest')


# --- 2.92 -------------------------------------------------------------------

def test_2_92_public_key_required(user):
    resp = _create(user, 'nokey', version='2.92')
    msg = _fault(resp, 400, 'badRequest')
    assert 'public_key' in msg
    resp = _create(user, 'withkey', version='2.92',
                   public_key=_ssh_public_key())
    assert resp.status == 201, resp
    assert 'private_key' not in resp.body['keypair']
    assert resp.body['keypair']['type'] == 'ssh'


@pytest.mark.parametrize('name', ['user@host', 'my.key', 'a.b@c.d'])
def test_2_92_allows_at_and_dot(user, name):
    public_key = _ssh_public_key('ed25519')
    resp = _create(user, name, version='2.92', public_key=public_key)
    assert resp.status == 201, resp
    assert resp.body['keypair']['name'] == name
    shown = user.get('/v2.1/os-keypairs/%s' % name, version='2.92')
    assert shown.status == 200, shown
    assert shown.body['keypair']['name'] == name
    resp = _create(user, name + 'x', version='2.91', public_key=public_key)
    msg = _fault(resp, 400, 'badRequest')
    assert 'name' in msg


def test_2_92_still_rejects_other_characters(user):
    resp = _create(user, 'bad!name', version='2.92',
                   public_key=_ssh_public_key())
    _fault(resp, 400, 'badRequest')


# --- list -------------------------------------------------------------------

def test_list_empty(user):
    resp = user.get('/v2.1/os-keypairs')
    assert resp.status == 200
    assert resp.body == {'keypairs': []}


def test_list_at_2_1(user):
    public_key = _ssh_public_key()
    created = [_create(user, 'b-gen').body['keypair'],
               _create(user, 'a-imp', public_key=public_key).body['keypair']]
    resp = user.get('/v2.1/os-keypairs')
    assert resp.status == 200
    assert list(resp.body) == ['keypairs']
    keypairs = resp.body['keypairs']
    assert len(keypairs) == 2
    for item in keypairs:
        assert list(item) == ['keypair']
        assert set(item['keypair']) == {'name', 'public_key', 'fingerprint'}
    by_name = {k['keypair']['name']: k['keypair'] for k in keypairs}
    for keypair in created:
        assert by_name[keypair['name']]['fingerprint'] == \
            keypair['fingerprint']
        assert by_name[keypair['name']]['public_key'] == \
            keypair['public_key'].strip()


def test_list_at_2_2_has_type(user):
    _create(user, 'k1', version='2.2')
    resp = user.get('/v2.1/os-keypairs', version='2.2')
    assert resp.status == 200
    keypair = resp.body['keypairs'][0]['keypair']
    assert set(keypair) == {'name', 'public_key', 'fingerprint', 'type'}
    assert keypair['type'] == 'ssh'


def _names(body):
    return [k['keypair']['name'] for k in body['keypairs']]


def test_pagination_at_2_35(user):
    public_key = _ssh_public_key('ed25519')
    for name in ('k3', 'k1', 'k4', 'k2'):
        assert _create(user, name, version='2.35',
                       public_key=public_key).status == 201
    resp = user.get('/v2.1/os-keypairs', version='2.35')
    assert resp.status == 200
    assert _names(resp.body) == ['k1', 'k2', 'k3', 'k4']
    assert 'keypairs_links' not in resp.body

    resp = user.get('/v2.1/os-keypairs?limit=2', version='2.35')
    assert resp.status == 200
    assert _names(resp.body) == ['k1', 'k2']
    links = resp.body['keypairs_links']
    assert len(links) == 1 and links[0]['rel'] == 'next'
    parsed = urllib.parse.urlparse(links[0]['href'])
    assert parsed.path == '/v2.1/os-keypairs'
    assert urllib.parse.parse_qs(parsed.query) == {'limit': ['2'],
                                                   'marker': ['k2']}
    resp = user.get(links[0]['href'].replace('http://localhost', ''),
                    version='2.35')
    assert resp.status == 200
    assert _names(resp.body) == ['k3', 'k4']

    resp = user.get('/v2.1/os-keypairs?limit=3&marker=k2', version='2.35')
    assert _names(resp.body) == ['k3', 'k4']
    assert 'keypairs_links' not in resp.body

    resp = user.get('/v2.1/os-keypairs?marker=k1', version='2.35')
    assert _names(resp.body) == ['k2', 'k3', 'k4']


def test_max_limit_caps_list_at_2_35(cloud, user):
    """From 2.35 a list is a page: at most [api] max_limit key pairs.

    Upstream takes ``common.get_limit_and_marker(req)`` (limit defaults to
    max_limit) and adds keypairs_links when the page is full, whether or
    not the client sent limit.
    """
    public_key = _ssh_public_key('ed25519')
    for name in ('m1', 'm2', 'm3'):
        assert _create(user, name, version='2.35',
                       public_key=public_key).status == 201
    cloud.conf.set_override('max_limit', 2, group='api')
    try:
        # An explicit limit above max_limit is capped.
        resp = user.get('/v2.1/os-keypairs?limit=10', version='2.35')
        assert resp.status == 200
        assert _names(resp.body) == ['m1', 'm2']
        assert resp.body['keypairs_links'][0]['rel'] == 'next'
        # No limit at all: still one page of max_limit, with a next link.
        resp = user.get('/v2.1/os-keypairs', version='2.35')
        assert resp.status == 200
        assert _names(resp.body) == ['m1', 'm2']
        links = resp.body['keypairs_links']
        assert len(links) == 1 and links[0]['rel'] == 'next'
        query = urllib.parse.parse_qs(
            urllib.parse.urlparse(links[0]['href']).query)
        assert query == {'marker': ['m2']}
        # Before 2.35 there is no paging.
        resp = user.get('/v2.1/os-keypairs', version='2.34')
        assert _names(resp.body) == ['m1', 'm2', 'm3']
        assert 'keypairs_links' not in resp.body
    finally:
        cloud.conf.clear_override('max_limit', group='api')


def test_pagination_ignored_before_2_35(user):
    for name in ('p1', 'p2', 'p3'):
        _create(user, name, version='2.2')
    resp = user.get('/v2.1/os-keypairs?limit=1&marker=p1', version='2.34')
    assert resp.status == 200
    assert _names(resp.body) == ['p1', 'p2', 'p3']
    assert 'keypairs_links' not in resp.body


def test_pagination_unknown_marker_is_400(user):
    _create(user, 'only', version='2.2')
    resp = user.get('/v2.1/os-keypairs?marker=nosuch', version='2.35')
    _fault(resp, 400, 'badRequest', 'marker [nosuch] not found')
    resp = user.get('/v2.1/os-keypairs?limit=x', version='2.35')
    _fault(resp, 400, 'badRequest')


# --- show -------------------------------------------------------------------

def test_show(user):
    created = _create(user, 'shown').body['keypair']
    resp = user.get('/v2.1/os-keypairs/shown')
    assert resp.status == 200
    keypair = resp.body['keypair']
    assert set(keypair) == SHOW_KEYS_2_1
    assert keypair['name'] == 'shown'
    assert keypair['user_id'] == user.user_id
    assert keypair['fingerprint'] == created['fingerprint']
    assert keypair['public_key'] == created['public_key'].strip()
    assert isinstance(keypair['id'], int)
    assert keypair['deleted'] is False
    assert keypair['deleted_at'] is None
    assert keypair['updated_at'] is None
    created_at = datetime.datetime.fromisoformat(keypair['created_at'])
    age = datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None) - created_at
    assert abs(age.total_seconds()) < 60
    resp = user.get('/v2.1/os-keypairs/shown', version='2.2')
    assert set(resp.body['keypair']) == SHOW_KEYS_2_1 | {'type'}
    assert resp.body['keypair']['type'] == 'ssh'


def test_show_unknown_is_404(user):
    resp = user.get('/v2.1/os-keypairs/nosuch')
    _fault(resp, 404, 'itemNotFound',
           'Keypair nosuch not found for user %s' % user.user_id)


# --- delete -----------------------------------------------------------------

def test_delete_at_2_1(user):
    _create(user, 'gone')
    resp = user.delete('/v2.1/os-keypairs/gone')
    assert resp.status == 202
    assert resp.text == ''
    _fault(user.get('/v2.1/os-keypairs/gone'), 404, 'itemNotFound')
    assert user.get('/v2.1/os-keypairs').body == {'keypairs': []}
    _fault(user.delete('/v2.1/os-keypairs/gone'), 404, 'itemNotFound')


def test_delete_at_2_2(user):
    _create(user, 'gone22', version='2.2')
    resp = user.delete('/v2.1/os-keypairs/gone22', version='2.2')
    assert resp.status == 204
    assert resp.text == ''
    _fault(user.get('/v2.1/os-keypairs/gone22'), 404, 'itemNotFound')
    # The name can be reused.
    assert _create(user, 'gone22', version='2.2').status == 201


def test_delete_unknown_is_404(user):
    resp = user.delete('/v2.1/os-keypairs/nosuch', version='2.2')
    _fault(resp, 404, 'itemNotFound',
           'Keypair nosuch not found for user %s' % user.user_id)


# --- ownership --------------------------------------------------------------

def test_keypairs_are_per_user(api, user):
    name = 'admin-%s' % uuid.uuid4().hex[:8]
    assert _create(api, name).status == 200
    try:
        resp = user.get('/v2.1/os-keypairs/%s' % name)
        _fault(resp, 404, 'itemNotFound')
        assert name not in _names(user.get('/v2.1/os-keypairs').body)
        _fault(user.delete('/v2.1/os-keypairs/%s' % name), 404,
               'itemNotFound')
        assert api.get('/v2.1/os-keypairs/%s' % name).status == 200
    finally:
        api.delete('/v2.1/os-keypairs/%s' % name)


def test_2_10_admin_manages_other_users_keypairs(api, user):
    resp = _create(api, 'for-user', version='2.10', user_id=user.user_id)
    assert resp.status == 201, resp
    assert resp.body['keypair']['user_id'] == user.user_id
    # The user owns it.
    assert _names(user.get('/v2.1/os-keypairs').body) == ['for-user']
    # Admin lists and shows it with user_id.
    resp = api.get('/v2.1/os-keypairs?user_id=%s' % user.user_id,
                   version='2.10')
    assert resp.status == 200
    assert _names(resp.body) == ['for-user']
    resp = api.get('/v2.1/os-keypairs/for-user?user_id=%s' % user.user_id,
                   version='2.10')
    assert resp.status == 200
    assert resp.body['keypair']['user_id'] == user.user_id
    # Not the admin's own.
    _fault(api.get('/v2.1/os-keypairs/for-user', version='2.10'), 404,
           'itemNotFound')
    resp = api.delete('/v2.1/os-keypairs/for-user?user_id=%s'
                      % user.user_id, version='2.10')
    assert resp.status == 204
    assert user.get('/v2.1/os-keypairs').body == {'keypairs': []}


def test_user_id_ignored_before_2_10(api, user):
    _create(user, 'mine', version='2.2')
    resp = api.get('/v2.1/os-keypairs?user_id=%s' % user.user_id,
                   version='2.9')
    assert resp.status == 200
    assert 'mine' not in _names(resp.body)
    resp = _create(api, 'x', version='2.9', user_id=user.user_id)
    msg = _fault(resp, 400, 'badRequest')
    assert 'user_id' in msg


def test_2_10_non_admin_other_user_is_403(user, other_user):
    _create(other_user, 'theirs', version='2.10')
    resp = _create(user, 'sneaky', version='2.10',
                   user_id=other_user.user_id)
    _fault(resp, 403, 'forbidden',
           "Policy doesn't allow os_compute_api:os-keypairs:create to be "
           "performed.")
    resp = user.get('/v2.1/os-keypairs?user_id=%s' % other_user.user_id,
                    version='2.10')
    _fault(resp, 403, 'forbidden',
           "Policy doesn't allow os_compute_api:os-keypairs:index to be "
           "performed.")
    resp = user.get('/v2.1/os-keypairs/theirs?user_id=%s'
                    % other_user.user_id, version='2.10')
    _fault(resp, 403, 'forbidden')
    resp = user.delete('/v2.1/os-keypairs/theirs?user_id=%s'
                       % other_user.user_id, version='2.10')
    _fault(resp, 403, 'forbidden')
    assert _names(other_user.get('/v2.1/os-keypairs').body) == ['theirs']
    # Naming oneself is fine.
    resp = _create(user, 'self', version='2.10', user_id=user.user_id)
    assert resp.status == 201


# --- quota ------------------------------------------------------------------

def test_quota_exceeded_is_403(cloud, user):
    cloud.conf.set_override('key_pairs', 2, group='quota')
    try:
        assert _create(user, 'q1').status == 200
        assert _create(user, 'q2', public_key=_ssh_public_key()).status == 200
        resp = _create(user, 'q3')
        _fault(resp, 403, 'forbidden', 'Quota exceeded, too many key pairs.')
        assert sorted(_names(user.get('/v2.1/os-keypairs').body)) == \
            ['q1', 'q2']
        # Deleting one frees a slot.
        assert user.delete('/v2.1/os-keypairs/q1').status == 202
        assert _create(user, 'q3').status == 200
    finally:
        cloud.conf.clear_override('key_pairs', group='quota')


def test_quota_unlimited(cloud, user):
    cloud.conf.set_override('key_pairs', -1, group='quota')
    try:
        key = _ssh_public_key('ed25519')
        for i in range(3):
            assert _create(user, 'u%d' % i, public_key=key).status == 200
    finally:
        cloud.conf.clear_override('key_pairs', group='quota')
    assert len(user.get('/v2.1/os-keypairs').body['keypairs']) == 3


# --- concurrency (kept last: a failure here may disturb the shared DB) -----

def test_concurrent_writes_by_different_users(api):
    """Independent writes in parallel all succeed.

    Eight users import ten key pairs each at the same time, as several API
    workers would; nothing conflicts, so every create must be 200 and every
    user must end up with exactly its ten key pairs.
    """
    import collections
    import threading

    public_key = _ssh_public_key('ed25519')
    prefix = uuid.uuid4().hex[:6]
    clients = [api.as_user('c%s%d:demo' % (prefix, n)) for n in range(8)]
    statuses = collections.Counter()
    failures = []
    lock = threading.Lock()

    def worker(client):
        for i in range(10):
            resp = _create(client, 'k%d' % i, public_key=public_key)
            with lock:
                statuses[resp.status] += 1
                if resp.status != 200:
                    failures.append(resp.text[:300])

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == {200: 80}, (statuses, failures[:3])
    for client in clients:
        resp = client.get('/v2.1/os-keypairs')
        assert resp.status == 200
        assert sorted(_names(resp.body)) == ['k%d' % i for i in range(10)]
