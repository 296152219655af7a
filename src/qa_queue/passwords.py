"""Hosts' passwords for `qa-queue serve`: salted argon2id hashes (argon2-cffi), never the text.

A hash string carries its own salt and cost parameters (`$argon2id$v=19$m=65536,t=3,p=4$...`),
so a later change of the defaults still verifies the hashes already stored.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import BadInput

PASSWORD_MIN = 8  # characters
PASSWORD_MAX = 1024  # characters: hashing is memory-hard, a megabyte of "password" is no password

_hasher = PasswordHasher()  # argon2id, 64 MiB, 3 passes, 4 lanes, 16-byte random salt
_dummy: list[str] = []


def _dummy_hash() -> str:
    """Verified against when there is no hash to check, so a missing host costs what a wrong
    password does (a sign-in's timing does not tell which hosts exist). Made on first use."""
    if not _dummy:
        _dummy.append(_hasher.hash("not any host's password"))
    return _dummy[0]


def check_new_password(password: str) -> str:
    """The password as it will be hashed; BadInput when it is too short, long or blank."""
    if not password.strip():
        raise BadInput("the password is empty")
    if len(password) < PASSWORD_MIN:
        raise BadInput(f"a password is at least {PASSWORD_MIN} characters, not {len(password)}")
    if len(password) > PASSWORD_MAX:
        raise BadInput(f"a password is at most {PASSWORD_MAX} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_new_password(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash (False for none, or a damaged one)."""
    if len(password) > PASSWORD_MAX:
        return False
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
