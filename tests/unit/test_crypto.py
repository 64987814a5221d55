import base64
import hashlib

import pytest

from nova import crypto
from nova import exception


def test_generated_key_pair_fingerprint_matches_its_public_key():
    private, public, fingerprint = crypto.generate_key_pair(bits=1024)
    assert private.startswith('-----BEGIN RSA PRIVATE KEY-----')
    assert public.startswith('ssh-rsa ')
    blob = base64.b64decode(public.split()[1])
    expected = hashlib.md5(blob).hexdigest()
    assert fingerprint.replace(':', '') == expected
    assert len(fingerprint.split(':')) == 16


def test_garbage_public_key_is_invalid():
    with pytest.raises(exception.InvalidKeypair) as info:
        crypto.ssh_fingerprint('ssh-rsa not-base64!')
    assert info.value.code == 400


def test_garbage_certificate_is_invalid():
    with pytest.raises(exception.InvalidKeypair):
        crypto.x509_fingerprint('-----BEGIN CERTIFICATE-----\nxx\n')


def test_generated_x509_pair_names_are_cut_to_the_64_characters_allowed():
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    name = 'u' * 32 + '-' + 'p' * 32   # 65: a Keystone user and project
    private, certificate, fingerprint = crypto.generate_x509_pair(name)
    cert = x509.load_pem_x509_certificate(certificate.encode())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[
        0].value == name[:64]
    assert crypto.x509_fingerprint(certificate) == fingerprint
    assert private.startswith('-----BEGIN RSA PRIVATE KEY-----')
