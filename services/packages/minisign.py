"""minisign-compatible signatures (https://jedisct1.github.io/minisign/), prehashed only.

A public key is `base64("Ed" + key id (8 bytes) + Ed25519 public key)`; a signature file is

    untrusted comment: <text>
    base64("ED" + key id + Ed25519(BLAKE2b-512(message)))
    trusted comment: <text>
    base64(Ed25519(signature + trusted comment))

so the stock `minisign -Vm FILE -P KEY` verifies what we sign, and we verify what it signs.
Legacy signatures ("Ed", the message itself signed) are refused: they need the whole file in
memory before the signature can be checked, which is exactly what a reader must not do.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PK_ALG = b"Ed"
PREHASHED = b"ED"
MAX_SIGNATURE_FILE = 2048
MAX_COMMENT = 1024


class SignatureError(ValueError):
    """The signature is malformed, legacy, by another key, or does not match (`code` says)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_id: bytes  # 8 bytes, as stored
    key: bytes  # 32 bytes

    @property
    def key_id_hex(self) -> str:
        """The key id as minisign prints it (little-endian integer, 16 upper-case hex digits)."""
        return f"{int.from_bytes(self.key_id, 'little'):016X}"

    def to_base64(self) -> str:
        return base64.b64encode(PK_ALG + self.key_id + self.key).decode("ascii")

    def to_file(self) -> str:
        return f"untrusted comment: minisign public key {self.key_id_hex}\n{self.to_base64()}\n"

    @classmethod
    def from_base64(cls, text: str) -> PublicKey:
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SignatureError("bad-public-key") from exc
        if len(raw) != 42 or raw[:2] != PK_ALG:
            raise SignatureError("bad-public-key")
        return cls(raw[2:10], raw[10:])


@dataclass(frozen=True, slots=True)
class Signature:
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes


def public_key_of(private: Ed25519PrivateKey, key_id: bytes) -> PublicKey:
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PublicKey(key_id, raw)


def sign(
    message: bytes,
    private: Ed25519PrivateKey,
    key_id: bytes,
    trusted_comment: str,
    untrusted_comment: str = "signature from Опора",
) -> str:
    """A prehashed minisign signature file of `message`."""
    if "\n" in trusted_comment or "\r" in trusted_comment or len(trusted_comment) > MAX_COMMENT:
        raise ValueError("trusted comment must be one short line")
    digest = hashlib.blake2b(message, digest_size=64).digest()
    signature = private.sign(digest)
    comment = trusted_comment.encode("utf-8")
    global_signature = private.sign(signature + comment)
    return (
        f"untrusted comment: {untrusted_comment}\n"
        f"{base64.b64encode(PREHASHED + key_id + signature).decode('ascii')}\n"
        f"trusted comment: {trusted_comment}\n"
        f"{base64.b64encode(global_signature).decode('ascii')}\n"
    )


def parse(text: bytes) -> Signature:
    """Parse a signature file strictly; raises SignatureError("bad-signature-format"/"legacy")."""
    if len(text) > MAX_SIGNATURE_FILE:
        raise SignatureError("bad-signature-format")
    try:
        lines = text.decode("utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise SignatureError("bad-signature-format") from exc
    while lines and lines[-1] == "":
        lines.pop()
    if len(lines) != 4 or not lines[0].startswith("untrusted comment:"):
        raise SignatureError("bad-signature-format")
    if not lines[2].startswith("trusted comment: "):
        raise SignatureError("bad-signature-format")
    try:
        sig = base64.b64decode(lines[1].strip(), validate=True)
        global_sig = base64.b64decode(lines[3].strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("bad-signature-format") from exc
    if len(sig) != 74 or len(global_sig) != 64:
        raise SignatureError("bad-signature-format")
    if sig[:2] == PK_ALG:
        raise SignatureError("legacy-signature")
    if sig[:2] != PREHASHED:
        raise SignatureError("bad-signature-format")
    return Signature(sig[2:10], sig[10:], lines[2][len("trusted comment: ") :], global_sig)


def verify(message: bytes, signature: Signature, key: PublicKey) -> str:
    """Check a parsed signature of `message` with `key`; return the trusted comment."""
    if signature.key_id != key.key_id:
        raise SignatureError("wrong-key")
    public = Ed25519PublicKey.from_public_bytes(key.key)
    digest = hashlib.blake2b(message, digest_size=64).digest()
    try:
        public.verify(signature.signature, digest)
        comment = signature.trusted_comment.encode("utf-8")
        public.verify(signature.global_signature, signature.signature + comment)
    except InvalidSignature as exc:
        raise SignatureError("bad-signature") from exc
    return signature.trusted_comment
