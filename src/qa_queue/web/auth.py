"""Who a browser is: signed sessions, CSRF tokens, and failed sign-ins slowed down and logged.

A session is a random id the server keeps (with its host and expiry) in a cookie signed with a
key made when the server starts: a forged or altered cookie fails its signature, an old one its
age, and signing out (or a restart) forgets the id, so a copied cookie dies with it too.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

log = logging.getLogger("qa_queue.web")

SESSION_COOKIE = "qa_queue_session"
CSRF_COOKIE = "qa_queue_csrf"
SESSION_HOURS = 12.0


@dataclass
class SignedIn:
    """A signed-in browser: its host and when its session ends (a monotonic-free wall time)."""

    id: str
    host: str
    expires: float
    password_hash: str  # a fingerprint of the hash signed in with: a new password ends it
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


class Sessions:
    """The signed-in sessions of one server run."""

    def __init__(
        self,
        *,
        hours: float = SESSION_HOURS,
        clock: Callable[[], float] = time.time,
        secret: str | None = None,
    ) -> None:
        self.seconds = int(hours * 3600)
        self.clock = clock
        self._signer = URLSafeTimedSerializer(secret or secrets.token_urlsafe(32), "qa-queue")
        self._live: dict[str, SignedIn] = {}

    def start(self, host: str, password_hash: str) -> tuple[SignedIn, str]:
        """A new session for `host`: the session and its cookie's value."""
        self._forget_expired()
        session = SignedIn(
            secrets.token_urlsafe(32), host, self.clock() + self.seconds, fingerprint(password_hash)
        )
        self._live[session.id] = session
        return session, self._signer.dumps(session.id)

    def find(self, cookie: str | None) -> SignedIn | None:
        """The live session a cookie names; None for none, a forged or expired one."""
        if not cookie:
            return None
        try:
            sid = self._signer.loads(cookie, max_age=self.seconds)
        except BadSignature:  # also SignatureExpired
            return None
        session = self._live.get(sid) if isinstance(sid, str) else None
        if session is None:
            return None
        if session.expires <= self.clock():
            self._live.pop(session.id, None)
            return None
        return session

    def find_live(self, sid: str) -> SignedIn | None:
        """The session of that id while it lasts (an open tab checks it as it goes)."""
        session = self._live.get(sid)
        return session if session is not None and session.expires > self.clock() else None

    def end(self, session: SignedIn) -> None:
        self._live.pop(session.id, None)

    def __len__(self) -> int:
        return len(self._live)

    def _forget_expired(self) -> None:
        now = self.clock()
        for sid in [s.id for s in self._live.values() if s.expires <= now]:
            del self._live[sid]

    # -- CSRF: the sign-in form's token is tied to a cookie; a session's to the session --------

    def form_token(self, csrf_cookie: str) -> str:
        return self._signer.dumps(["csrf", csrf_cookie])

    def form_token_ok(self, token: str, csrf_cookie: str | None) -> bool:
        if not csrf_cookie or not token:
            return False
        try:
            found = self._signer.loads(token, max_age=self.seconds)
        except BadSignature:
            return False
        return isinstance(found, list) and hmac.compare_digest(str(found[-1]), csrf_cookie)


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


class Throttle:
    """Failed sign-ins, counted per client address and per host name: each failure makes the
    next answer wait longer (`delay`), and after `limit` of them in `window` seconds the
    address or name is refused at once until the window has passed. Every failure is logged."""

    def __init__(
        self,
        *,
        base: float = 0.5,
        most: float = 8.0,
        limit: int = 10,
        window: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base, self.most, self.limit, self.window, self.clock = base, most, limit, window, clock
        self._failures: dict[str, _Failures] = {}

    def _get(self, key: str) -> _Failures:
        found = self._failures.get(key)
        if found is not None and self.clock() - found.last > self.window:
            del self._failures[key]
            found = None
        return found or _Failures()

    def locked(self, address: str, host: str) -> bool:
        keys = (f"addr:{address}", f"host:{host}")
        return any(self._get(k).count >= self.limit for k in keys)

    def failed(self, address: str, host: str) -> float:
        """Record a failure; the seconds to wait before answering it."""
        counts = []
        for key in (f"addr:{address}", f"host:{host}"):
            found = self._get(key)
            found.count += 1
            found.last = self.clock()
            self._failures[key] = found
            counts.append(found.count)
        count = max(counts)
        log.warning(
            "failed sign-in as %r from %s (%d in a row%s)",
            host[:40],
            address,
            count,
            "; refusing further tries for a while" if count >= self.limit else "",
        )
        return self.delay(count)

    def delay(self, count: int) -> float:
        return float(min(self.base * 2 ** (count - 1), self.most)) if count > 0 else 0.0

    def succeeded(self, address: str, host: str) -> None:
        self._failures.pop(f"addr:{address}", None)
        self._failures.pop(f"host:{host}", None)
