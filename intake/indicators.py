"""Indicators: the values reports are matched on, normalised so equal things compare equal.

Pure functions. The classifier already normalises what it extracts; this module makes
sure values from any source (the classifier, a typed look-up, an analyst) end up in one
form, and derives the registered domain of each link so that two links on one scam site
join one campaign. Links on big shared platforms (facebook.com, t.me, ...) keep their
full URL as an indicator, but their domain is not one: it would join unrelated reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

INDICATOR_KINDS = (
    "phone",
    "bank_account",
    "crypto_wallet",
    "domain",
    "url",
    "telegram",
    "whatsapp",
    "line",
    "kakao",
    "email",
)
"""Kinds stored as indicators (the classifier's ``money`` amounts are not)."""

MAX_VALUE_CHARS = 1024

DEFAULT_SHARED_DOMAINS = frozenset(
    {
        "facebook.com",
        "fb.com",
        "fb.me",
        "m.me",
        "messenger.com",
        "instagram.com",
        "t.me",
        "telegram.me",
        "telegram.org",
        "wa.me",
        "whatsapp.com",
        "line.me",
        "kakao.com",
        "open.kakao.com",
        "google.com",
        "goo.gl",
        "forms.gle",
        "youtube.com",
        "youtu.be",
        "tiktok.com",
        "x.com",
        "twitter.com",
        "linkedin.com",
        "naver.com",
        "daum.net",
        "gmail.com",
        "bit.ly",
        "tinyurl.com",
        "apple.com",
        "microsoft.com",
        "github.com",
    }
)
"""Platforms whose domain says nothing about who is behind a link."""

_HANDLE_KINDS = {"telegram", "line", "kakao"}
_PHONE_JUNK = re.compile(r"[\s().\-]")
_HANDLE_OK = re.compile(r"^[\w.\-+]{1,128}$", re.UNICODE)
_EMAIL_OK = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _phone(value: str) -> str | None:
    raw = _PHONE_JUNK.sub("", value)
    plus = raw.startswith("+")
    digits = raw[1:] if plus else raw
    if raw.startswith("00"):
        plus, digits = True, raw[2:]
    if not digits.isdigit() or not 6 <= len(digits) <= 16:
        return None
    return ("+" if plus else "") + digits


def _url(value: str) -> str | None:
    value = value.strip()
    if not value or any(c.isspace() for c in value):
        return None
    if "://" not in value:
        value = "http://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").strip(".").lower()
    if not host or parts.scheme.lower() not in ("http", "https", "ftp"):
        return None
    scheme = parts.scheme.lower()
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = "" if parts.path == "/" else parts.path
    return urlunsplit((scheme, netloc, path, parts.query, ""))


@lru_cache(maxsize=1)
def _extractor():  # type: ignore[no-untyped-def]
    import tldextract

    # The public-suffix snapshot bundled with tldextract: no network, no cache folder.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str | None:
    """Return the registrable domain of a host (``login.aba-bank.xyz`` → ``aba-bank.xyz``).

    IP addresses and hosts without a public suffix return the host itself, or None
    when it is empty.
    """
    host = host.strip(".").lower()
    if not host:
        return None
    parts = _extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host


def normalise_indicator(kind: str, value: str) -> str | None:
    """Return the canonical form of an indicator, or None when it is not a usable one.

    Args:
        kind: One of :data:`INDICATOR_KINDS`.
        value: The value as found or typed.

    Returns:
        E.164-like phone (``+85512345678``), digits-only account, lower-cased
        domain/handle/email, URL with lower-cased scheme and host and no fragment; or
        None for an unknown kind or a value that cannot be one.
    """
    value = value.strip()
    if not value or len(value) > MAX_VALUE_CHARS:
        return None
    if kind == "phone":
        return _phone(value)
    if kind == "bank_account":
        digits = re.sub(r"[\s\-]", "", value)
        return digits if digits.isdigit() and 6 <= len(digits) <= 34 else None
    if kind == "crypto_wallet":
        # Base58 and bech32 addresses are case-sensitive; only hex (0x...) is not.
        return value.lower() if value[:2].lower() == "0x" else value
    if kind == "domain":
        host = value.lower().strip(".")
        if "://" in host:
            host = (urlsplit(host).hostname or "").strip(".")
        return host if host and " " not in host and "." in host else None
    if kind == "url":
        return _url(value)
    if kind in _HANDLE_KINDS:
        handle = value.lstrip("@").lower()
        return handle if _HANDLE_OK.match(handle) else None
    if kind == "whatsapp":
        return _phone(value) or (value.lower() if _HANDLE_OK.match(value) else None)
    if kind == "email":
        email = value.lower()
        return email if _EMAIL_OK.match(email) else None
    return None


def indicators_from_entities(
    entities: Mapping[str, Sequence[str]],
    *,
    links: Iterable[str] = (),
    shared_domains: frozenset[str] = DEFAULT_SHARED_DOMAINS,
) -> tuple[tuple[str, str], ...]:
    """Turn extracted entities (and links the reporter gave) into indicator pairs.

    Args:
        entities: Values by kind, e.g. the classifier's ``Entities.by_kind()``.
        links: Extra links from the report (treated as ``url`` values).
        shared_domains: Registered domains that never become a ``domain`` indicator.

    Returns:
        Sorted, de-duplicated ``(kind, value)`` pairs; unknown kinds and unusable
        values are dropped.
    """
    found: set[tuple[str, str]] = set()
    items = [(k, v) for k, vs in entities.items() for v in vs] + [("url", link) for link in links]
    for kind, raw in items:
        value = normalise_indicator(kind, raw)
        if value is None:
            continue
        found.add((kind, value))
        if kind == "url":
            host = urlsplit(value).hostname or ""
            domain = registered_domain(host)
            if domain and domain not in shared_domains and host not in shared_domains:
                found.add(("domain", domain))
    return tuple(sorted(found))


def parse_lookup(kind: str, value: str) -> tuple[str, str]:
    """Validate a look-up from a person (check journey, command line).

    Raises:
        ValueError: Naming the kind or value that cannot be looked up.
    """
    if kind not in INDICATOR_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(INDICATOR_KINDS)}")
    normal = normalise_indicator(kind, value)
    if normal is None:
        raise ValueError(f"the value is not a valid {kind}")
    return kind, normal
