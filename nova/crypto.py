"""Key generation and fingerprints for key pairs."""

import base64
import datetime
import hashlib

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import NameOID

from nova import exception


def _colon_hex(digest):
    return ':'.join('%02x' % b for b in digest)


def generate_key_pair(bits=2048):
    """(private_key_pem, public_key_openssh, fingerprint) of a new RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode()
    return private, public, ssh_fingerprint(public)


def generate_x509_pair(common_name, bits=2048, days=3650):
    """(private_key_pem, certificate_pem, fingerprint) of a new RSA key and
    a self-signed certificate for it, as upstream's x509 key pairs."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    # X.509 caps a common name at 64 characters (Keystone's ids are 32).
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         common_name[:64])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=days))
            .sign(key, hashes.SHA256()))
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    certificate = cert.public_bytes(serialization.Encoding.PEM).decode()
    return private, certificate, _colon_hex(cert.fingerprint(hashes.SHA1()))


def ssh_fingerprint(public_key):
    """MD5 fingerprint of an OpenSSH public key, as ssh-keygen -E md5."""
    # cryptography raises several unrelated exception types on bad input.
    try:
        serialization.load_ssh_public_key(public_key.strip().encode())
        blob = base64.b64decode(public_key.split(None, 2)[1], validate=True)
    except Exception:
        raise exception.InvalidKeypair(
            reason='failed to generate fingerprint')
    return _colon_hex(hashlib.md5(blob, usedforsecurity=False).digest())


def x509_fingerprint(certificate):
    """SHA-1 fingerprint of a PEM certificate."""
    try:
        cert = x509.load_pem_x509_certificate(certificate.encode())
    except Exception:
        raise exception.InvalidKeypair(
            reason='failed to generate X509 fingerprint')
    return _colon_hex(cert.fingerprint(hashes.SHA1()))
