"""Red-flag signals: explainable reasons why a message looks like a scam.

Each signal has a stable id (documented in ``classifier/SIGNALS.md``), a severity and the
evidence found, so the bot can explain a verdict in plain words. Phrases live in data
files under ``classifier/data/`` (one list per language), not in this code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from classifier.entities import Entities, Entity
from classifier.normalise import Normalised, fold_homoglyphs

__all__ = ["SEVERITIES", "SIGNAL_IDS", "Signal", "find_signals", "link_reputation"]

DATA_DIR = Path(__file__).parent / "data"
SEVERITIES = ("low", "medium", "high")

# Ids whose logic is code (entity checks) rather than phrase lists.
_URL_SIGNALS = {
    "lookalike_domain": "high",
    "punycode_domain": "high",
    "known_phishing_domain": "high",
    "url_shortener": "medium",
    "ip_host": "high",
    "apk_link": "high",
}
SIGNAL_IDS: tuple[str, ...] = (
    "urgency_threat",
    "asks_for_code",
    "upfront_fee",
    "guaranteed_returns",
    "lookalike_domain",
    "punycode_domain",
    "known_phishing_domain",
    "url_shortener",
    "ip_host",
    "apk_link",
    "job_free_travel",
    "job_passport_held",
    "job_tourist_visa",
    "job_high_salary",
    "job_vague_employer",
    "job_chat_only_contact",
    "job_compound_area",
    "impersonation_authority",
    "remote_access_app",
    "gift_card_or_crypto_payment",
    "secrecy_request",
    "blackmail_threat",
    "prize_claim",
    "parcel_problem",
    "loan_offer",
    "premium_rate",
    "call_forwarding_code",
)


@dataclass(frozen=True, slots=True)
class Signal:
    """One red flag found in a message.

    Attributes:
        id: Stable signal id, one of :data:`SIGNAL_IDS`.
        severity: ``"low"``, ``"medium"`` or ``"high"``.
        evidence: The words or entity that triggered it (from the normalised text).
    """

    id: str
    severity: str
    evidence: str


# --- data loading (once per process) ----------------------------------------------------


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    parts: list[str] = []
    for phrase in phrases:
        phrase = str(phrase)
        if phrase.startswith("re:"):
            parts.append(f"(?:{phrase[3:]})")
            continue
        phrase = phrase.lower()
        escaped = re.escape(phrase).replace(r"\ ", r"\s+")
        if phrase.isascii():
            left = r"\b" if phrase[:1].isalnum() else ""
            right = r"\b" if phrase[-1:].isalnum() else ""
            parts.append(f"{left}{escaped}{right}")
        else:
            parts.append(escaped)
    if not parts:
        return None
    # Longest first, so the evidence is the most specific phrase.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts))


@dataclass(frozen=True, slots=True)
class _PhraseSignal:
    id: str
    severity: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None
    needs: str | None


@dataclass(frozen=True, slots=True)
class _Brand:
    name: str
    tokens: tuple[str, ...]
    official: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Rules:
    phrase_signals: tuple[_PhraseSignal, ...]
    contexts: dict[str, re.Pattern[str]]
    brands: tuple[_Brand, ...]
    generic_words: frozenset[str]
    shorteners: frozenset[str]
    trusted: frozenset[str]
    blacklist: frozenset[str]
    whitelist: frozenset[str]


def _all_langs(block: dict[str, Any]) -> list[str]:
    return [p for lang in ("en", "ko", "km") for p in block.get(lang, []) or []]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    kw = yaml.safe_load((DATA_DIR / "signals" / "keywords.yml").read_text(encoding="utf-8"))
    dom = yaml.safe_load((DATA_DIR / "signals" / "domains.yml").read_text(encoding="utf-8"))
    contexts = {}
    for name, block in kw["contexts"].items():
        pattern = _phrase_regex(_all_langs(block))
        if pattern is not None:
            contexts[name] = pattern
    phrase_signals = []
    for sid, block in kw["signals"].items():
        if sid not in SIGNAL_IDS:
            raise ValueError(f"unknown signal id in keywords.yml: {sid!r}")
        pattern = _phrase_regex(_all_langs(block))
        if pattern is None:
            continue
        unless = _phrase_regex(_all_langs(block.get("unless") or {}))
        phrase_signals.append(_PhraseSignal(sid, block["severity"], pattern, unless, block.get("needs")))
    brands = [_Brand(name, tuple(b["tokens"]), tuple(b["official"])) for name, b in dom["brands"].items()]
    eth = json.loads((DATA_DIR / "eth_phishing_domains.json").read_text(encoding="utf-8"))
    for domain in eth.get("fuzzylist", []):
        name = domain.split(".")[-2] if domain.count(".") >= 1 else domain
        brands.append(_Brand(domain, (name,), (domain,)))
    return _Rules(
        phrase_signals=tuple(phrase_signals),
        contexts=contexts,
        brands=tuple(brands),
        generic_words=frozenset(dom["generic_words"]),
        shorteners=frozenset(dom["shorteners"]),
        trusted=frozenset(dom.get("trusted_domains", [])),
        blacklist=frozenset(d.lower() for d in eth.get("blacklist", [])),
        whitelist=frozenset(d.lower() for d in eth.get("whitelist", [])),
    )


# --- domain checks ----------------------------------------------------------------------


# Hosts of well-known sites where anyone can publish pages or files: never "trusted".
_USER_CONTENT = re.compile(
    r"^(?:sites|docs|drive|forms|storage|script|accounts|translate|onedrive|1drv|firebasestorage|web)\."
)


def link_reputation(host: str, domain: str, url: str = "") -> str:
    """Return ``"blacklisted"``, ``"trusted"``, ``"shortener"`` or ``""`` for a link.

    A well-known site is trusted except on hosts where anyone can publish (Google Sites,
    Drive, Docs, OneDrive, ...) and for redirect links that carry another address.

    Args:
        host: The link's host (lower-case, decoded).
        domain: Its registered domain.
        url: The whole link, to spot redirects (``...?continue=http://...``).
    """
    rules = _rules()
    if (host in rules.blacklist or domain in rules.blacklist) and not (
        host in rules.whitelist or domain in rules.whitelist
    ):
        return "blacklisted"
    if domain in rules.shorteners or host in rules.shorteners:
        return "shortener"
    known = domain in rules.trusted or host in rules.trusted or host.endswith((".gov.kh", ".go.kr"))
    redirect = "http" in url.split("//", 1)[-1].lower()
    if known and not _USER_CONTENT.match(host) and not redirect:
        return "trusted"
    return ""


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _is_official(host: str, domain: str, brand: _Brand) -> bool:
    for off in brand.official:
        if off.startswith("."):
            if host.endswith(off) or ("." + domain).endswith(off):
                return True
        elif domain == off or host == off or host.endswith("." + off):
            return True
    return False


def _brand_hit(host: str, domain: str, suffix: str, brand: _Brand, rules: _Rules) -> str | None:
    """Return the token that ties ``host`` to ``brand``, or None."""
    if _is_official(host, domain, brand):
        return None
    skeleton = fold_homoglyphs(host).lower()
    body = skeleton[: -len(suffix) - 1] if suffix and skeleton.endswith("." + suffix) else skeleton
    labels = [lab for lab in body.split(".") if lab and lab != "www"]
    parts = [p for lab in labels for p in lab.split("-") if p]
    squashed = "".join(labels).replace("-", "")
    for token in brand.tokens:
        t = token.lower().replace("-", "")
        if len(t) <= 4:
            if len(t) <= 2:
                has_generic = any(p in rules.generic_words for p in parts if p != t)
                if t in parts and has_generic:
                    return token
            elif t in parts:
                return token
            for p in parts:
                if p.startswith(t) and p[len(t) :] in rules.generic_words:
                    return token
                if p.endswith(t) and p[: -len(t)] in rules.generic_words:
                    return token
            continue
        if t in squashed:
            return token
        limit = 2 if len(t) >= 10 else 1
        for p in [*parts, *labels]:
            if p != t and _edit_distance(p, t, limit) <= limit:
                return token
    return None


def _url_signals(urls: list[Entity], text: str, rules: _Rules) -> Iterable[Signal]:
    for url in urls:
        host = url.get("host")
        domain = url.get("domain")
        suffix = url.get("suffix")
        if url.get("ip"):
            yield Signal("ip_host", _URL_SIGNALS["ip_host"], host)
        if url.get("idn"):
            yield Signal("punycode_domain", _URL_SIGNALS["punycode_domain"], host)
        if domain in rules.shorteners or host in rules.shorteners:
            yield Signal("url_shortener", _URL_SIGNALS["url_shortener"], host)
        path = url.value.split("?", 1)[0].lower()
        if path.endswith(".apk"):
            yield Signal("apk_link", _URL_SIGNALS["apk_link"], url.value)
        if (host in rules.blacklist or domain in rules.blacklist) and not (
            host in rules.whitelist or domain in rules.whitelist
        ):
            yield Signal("known_phishing_domain", _URL_SIGNALS["known_phishing_domain"], host)
        if url.get("ip") or not suffix:
            continue
        if any(_is_official(host, domain, brand) for brand in rules.brands):
            continue
        for brand in rules.brands:
            token = _brand_hit(host, domain, suffix, brand, rules)
            if token is not None:
                yield Signal("lookalike_domain", "high", f"{host} ≈ {brand.name}")
                break
    if re.search(r"\.apk\b", text) and not any(u.value.split("?", 1)[0].lower().endswith(".apk") for u in urls):
        yield Signal("apk_link", "high", ".apk")


# --- amount and entity based checks -----------------------------------------------------

_SALARY_LIMITS = {"USD": 1200.0, "USDT": 1200.0, "KRW": 4_000_000.0, "KHR": 5_000_000.0}
_CHAT_KINDS = {"telegram", "whatsapp", "line", "kakao"}


def _entity_signals(entities: Entities, job: bool) -> Iterable[Signal]:
    wallets = entities.of("crypto_wallet")
    if wallets:
        yield Signal("gift_card_or_crypto_payment", "medium", wallets[0].value)
    if not job:
        return
    for money in entities.of("money"):
        limit = _SALARY_LIMITS.get(money.get("currency"))
        try:
            amount = float(money.get("amount"))
        except ValueError:
            continue
        if limit is not None and amount >= limit:
            yield Signal("job_high_salary", "medium", money.raw)
            break
    chats = [e for e in entities.items if e.kind in _CHAT_KINDS]
    if chats:
        yield Signal("job_chat_only_contact", "medium", chats[0].raw)


def find_signals(norm: Normalised, entities: Entities) -> list[Signal]:
    """Find the red flags in a message.

    Args:
        norm: The normalised message (see :func:`classifier.normalise.normalise`).
        entities: Its entities (see :func:`classifier.entities.extract_entities`).

    Returns:
        One :class:`Signal` per id found (the first evidence), in :data:`SIGNAL_IDS` order.
    """
    rules = _rules()
    text = norm.match
    found: dict[str, Signal] = {}
    present = {name: bool(p.search(text)) for name, p in rules.contexts.items()}
    for sig in rules.phrase_signals:
        if sig.needs and not present.get(sig.needs, False):
            continue
        m = sig.pattern.search(text)
        if m is None:
            continue
        if sig.unless is not None and sig.unless.search(text):
            continue
        found.setdefault(sig.id, Signal(sig.id, sig.severity, m.group(0).strip()))
    for sig in _url_signals(entities.of("url"), text, rules):
        found.setdefault(sig.id, sig)
    for sig in _entity_signals(entities, present.get("job", False)):
        found.setdefault(sig.id, sig)
    order = {sid: i for i, sid in enumerate(SIGNAL_IDS)}
    return sorted(found.values(), key=lambda s: order.get(s.id, len(order)))
