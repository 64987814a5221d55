"""Key generation and fingerprints for key pairs."""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509

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
