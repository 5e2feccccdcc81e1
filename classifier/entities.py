"""Entity extraction: the links, numbers, accounts and handles a scam asks people to use.

These are what enforcement can act on and what earlier reports are matched against, so
each entity carries a normalised ``value`` (for look-ups) and the ``raw`` text found.
Everything runs offline: the public-suffix list is the snapshot bundled with tldextract.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers

from classifier.normalise import clean_text

__all__ = ["ENTITY_KINDS", "Entities", "Entity", "extract_entities", "extract_from_clean"]

ENTITY_KINDS = (
    "url",
    "phone",
    "bank_account",
    "crypto_wallet",
    "telegram",
    "whatsapp",
    "line",
    "kakao",
    "money",
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One thing found in a message.

    Attributes:
        kind: One of :data:`ENTITY_KINDS`.
        value: Normalised form for look-ups (E.164 phone, digits-only account, URL with
            decoded host, ``"1500 USD"`` amount, lower-cased handle).
        raw: The text as it appeared (after invisible characters were removed).
        extra: Details as ``(key, value)`` pairs, e.g. ``("domain", "aba-bank.xyz")``,
            ``("country", "KH")``, ``("type", "MOBILE")``, ``("chain", "tron")``.
    """

    kind: str
    value: str
    raw: str
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        """Return one detail from :attr:`extra`, or ``default``."""
        for k, v in self.extra:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Entities:
    """All entities of a message, in order of appearance, without duplicates."""

    items: tuple[Entity, ...] = field(default_factory=tuple)

    def by_kind(self) -> dict[str, list[str]]:
        """Group values by kind: ``{"url": [...], "phone": [...]}`` (kinds found only)."""
        out: dict[str, list[str]] = {}
        for ent in self.items:
            out.setdefault(ent.kind, []).append(ent.value)
        return out

    def of(self, kind: str) -> list[Entity]:
        """Return the entities of one kind."""
        return [e for e in self.items if e.kind == kind]

    def __len__(self) -> int:
        return len(self.items)


# --- URLs -------------------------------------------------------------------------------

_LABEL = r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?)"
_URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'`\u3000]+"
    r"|(?<![\w@./-])" + _LABEL + r"(?:\." + _LABEL + r")*\.(?:[a-zA-Z]{2,24}|xn--[a-z0-9-]{2,30})"
    r"(?::\d{2,5})?(?:/[^\s<>\"'`]*)?(?![\w@])",
    re.UNICODE,
)
_TRAILING = ".,;:!?)]}>'\"…。、"


@lru_cache(maxsize=1)
def _tld_extractor():  # type: ignore[no-untyped-def]
    import tldextract

    # Bundled snapshot only: no network, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _decode_host(host: str) -> tuple[str, bool]:
    """Return the Unicode form of a host and whether it was an IDN (punycode/non-ASCII)."""
    host = host.strip(".").lower()
    idn = not host.isascii() or "xn--" in host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                labels.append(label.encode("ascii").decode("idna"))
                continue
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels), idn


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _url_entity(raw: str) -> Entity | None:
    raw = raw.rstrip(_TRAILING)
    if not raw:
        return None
    with_scheme = raw if re.match(r"(?i)^(?:https?|ftp)://", raw) else "http://" + raw
    try:
        parts = urlsplit(with_scheme)
        host = parts.hostname or ""
    except ValueError:
        return None
    if not host:
        return None
    decoded, idn = _decode_host(host)
    extra: list[tuple[str, str]] = [("host", decoded)]
    if _is_ip(host):
        extra += [("domain", host), ("ip", "1")]
    else:
        ext = _tld_extractor()(decoded)
        if not ext.suffix or not ext.domain:
            return None
        extra += [("domain", f"{ext.domain}.{ext.suffix}"), ("suffix", ext.suffix)]
    if idn:
        extra.append(("idn", "1"))
    scheme = parts.scheme.lower()
    rest = with_scheme.split("//", 1)[1]
    path = rest[len(parts.netloc) :] if rest.lower().startswith(parts.netloc.lower()) else ""
    port = f":{parts.port}" if _safe_port(parts) else ""
    value = f"{scheme}://{decoded}{port}{path}"
    return Entity("url", value, raw, tuple(extra))


def _safe_port(parts) -> int | None:  # type: ignore[no-untyped-def]
    try:
        return parts.port
    except ValueError:
        return None


def _urls(text: str) -> Iterable[Entity]:
    for m in _URL_RE.finditer(text):
        raw = m.group(0)
        if "@" in raw.split("/", 1)[0] and "://" not in raw:
            continue  # an e-mail address, not a link
        ent = _url_entity(raw)
        if ent is not None:
            yield ent


# --- messaging handles ------------------------------------------------------------------

_HANDLE_LINKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("telegram", re.compile(r"(?i)\b(?:t\.me|telegram\.me|telegram\.dog)/(?:s/|joinchat/|\+)?([\w+]{3,64})")),
    ("whatsapp", re.compile(r"(?i)\b(?:wa\.me|api\.whatsapp\.com/send\?phone=|chat\.whatsapp\.com)/?([\w+]{3,64})")),
    ("line", re.compile(r"(?i)\b(?:line\.me/(?:ti/p/|R/ti/p/)?|lin\.ee/)([~@\w%-]{3,64})")),
    ("kakao", re.compile(r"(?i)\b(?:open\.kakao\.com/o/|pf\.kakao\.com/)([\w-]{3,64})")),
)
_DOMAIN_LIKE = re.compile(r"\.(?:com|net|org|me|kr|kh|io|co|ee|jp)\b")
_AT_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z][A-Za-z0-9_]{3,31})\b")
_ID_CONTEXT: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "kakao",
        re.compile(
            r"(?i)(?:kakao(?:talk)?|카카오톡?|카톡|오픈채팅)\s*(?:id|아이디)?\s*[:：]?\s*@?([A-Za-z0-9_.-]{3,32})"
        ),
    ),
    ("line", re.compile(r"(?i)(?:\bline|라인)\s*(?:id|아이디)\s*[:：]?\s*@?([A-Za-z0-9_.-]{3,32})")),
    (
        "telegram",
        re.compile(
            r"(?i)(?:telegram|\btg|텔레그램|텔레|តេឡេក្រាម|តេលេក្រាម)\s*(?:id|아이디)?\s*[:：]?\s*@([A-Za-z0-9_]{4,32})"
        ),
    ),
    ("whatsapp", re.compile(r"(?i)(?:whats\s?app|왓츠앱|វ៉ាត់សាប)\s*[:：]?\s*(\+?\d[\d\s-]{7,16}\d)")),
)


def _handles(text: str) -> Iterable[Entity]:
    for kind, pattern in _HANDLE_LINKS:
        for m in pattern.finditer(text):
            value = m.group(1).lower()
            if kind == "whatsapp":
                value = re.sub(r"\D", "", value) or value
            yield Entity(kind, value, m.group(0))
    for kind, pattern in _ID_CONTEXT:
        for m in pattern.finditer(text):
            value = m.group(1).lower()
            if _DOMAIN_LIKE.search(value):
                continue  # "카톡 open.kakao.com/..." is a link, handled above
            if kind == "whatsapp":
                value = re.sub(r"\D", "", value)
            yield Entity(kind, value, m.group(0))
    for m in _AT_HANDLE.finditer(text):
        yield Entity("telegram", m.group(1).lower(), m.group(0))


# --- phone numbers ----------------------------------------------------------------------

_PHONE_REGIONS = ("KH", "KR")


def _phones(text: str) -> Iterable[tuple[Entity, tuple[int, int]]]:
    seen: set[str] = set()
    for region in _PHONE_REGIONS:
        try:
            matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID, max_tries=200)
            matches = list(matcher)
        except Exception:  # noqa: BLE001 - a third-party parser must never break a check
            continue
        for m in matches:
            num = m.number
            e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            if e164 in seen:
                continue
            seen.add(e164)
            country = phonenumbers.region_code_for_number(num) or ""
            kind = phonenumbers.number_type(num)
            type_name = _PHONE_TYPES.get(kind, "UNKNOWN")
            extra = (("country", country), ("type", type_name))
            yield Entity("phone", e164, m.raw_string, extra), (m.start, m.end)


_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "MOBILE",
    phonenumbers.PhoneNumberType.FIXED_LINE: "FIXED_LINE",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "FIXED_LINE_OR_MOBILE",
    phonenumbers.PhoneNumberType.TOLL_FREE: "TOLL_FREE",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "PREMIUM_RATE",
    phonenumbers.PhoneNumberType.SHARED_COST: "SHARED_COST",
    phonenumbers.PhoneNumberType.VOIP: "VOIP",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "PERSONAL_NUMBER",
    phonenumbers.PhoneNumberType.PAGER: "PAGER",
    phonenumbers.PhoneNumberType.UAN: "UAN",
    phonenumbers.PhoneNumberType.VOICEMAIL: "VOICEMAIL",
}


# --- bank accounts ----------------------------------------------------------------------

_ACCOUNT_CONTEXT = re.compile(
    r"(?i)(?:\baccount|\bacc\b|\bacct|\ba/c|\bbank\b|\biban|\bdeposit\s+to|\btransfer\s+to"
    r"|\bsend\s+to|\bpay\s+to|\baba\b|\bacleda\b|\bwing\b|\bcanadia\b"
    r"|계좌|계좌번호|입금|송금|이체|은행|예금주|국민|신한|우리|하나|농협|기업|카카오뱅크|토스뱅크|새마을|우체국"
    r"|គណនី|លេខគណនី|ធនាគារ|ផ្ទេរ|ផ្ញើប្រាក់|ដាក់ប្រាក់)"
)
_DIGIT_GROUP = re.compile(r"(?<![\w+])\d(?:[\d]|[ -](?=\d)){7,24}(?![\w])")


def _accounts(text: str, phone_spans: list[tuple[int, int]]) -> Iterable[Entity]:
    for m in _DIGIT_GROUP.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if not 8 <= len(digits) <= 20:
            continue
        if any(s <= m.start() < e or s < m.end() <= e for s, e in phone_spans):
            continue
        window = text[max(0, m.start() - 60) : m.start()]
        if not _ACCOUNT_CONTEXT.search(window):
            continue
        yield Entity("bank_account", digits, m.group(0))


# --- crypto wallets ---------------------------------------------------------------------

_WALLETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ethereum", re.compile(r"\b0x[0-9a-fA-F]{40}\b")),
    ("tron", re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")),
    ("bitcoin", re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{25,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b")),
)


def _wallets(text: str) -> Iterable[Entity]:
    for chain, pattern in _WALLETS:
        for m in pattern.finditer(text):
            raw = m.group(0)
            if chain == "bitcoin" and raw[0] in "13" and not _mixed_case(raw):
                continue  # a long number, not a base58 address
            value = raw.lower() if chain == "ethereum" else raw
            yield Entity("crypto_wallet", value, raw, (("chain", chain),))


def _mixed_case(s: str) -> bool:
    return any(c.isupper() for c in s) and any(c.islower() for c in s)


# --- money ------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)(?:US\s?)?\$\s?(" + _NUM + r")\s?(k|K|만)?"), "USD"),
    (re.compile(r"(?i)(" + _NUM + r")\s?(k|K)?\s?(?:usdt|테더)"), "USDT"),
    (re.compile(r"(?i)(" + _NUM + r")\s?(k|K)?\s?(?:usd\b|dollars?\b|bucks\b|ដុល្លារ|달러|불\b)"), "USD"),
    (re.compile(r"(?i)(?:usd|usdt)\s?(" + _NUM + r")(k|K)?"), "USD"),
    (re.compile(r"(?i)(" + _NUM + r")\s?(k|K|ម៉ឺន|សែន|លាន)?\s?(?:khr\b|riels?\b|រៀល|៛)"), "KHR"),
    (re.compile(r"(?i)(?:khr|៛)\s?(" + _NUM + r")()"), "KHR"),
    (re.compile(r"(" + _NUM + r")\s?(억|천만|백만|십만|만|천)?\s?(?:원|krw\b|KRW\b)"), "KRW"),
    (re.compile(r"(?i)(?:krw|₩)\s?(" + _NUM + r")()"), "KRW"),
    (re.compile(r"(" + _NUM + r")\s?(억|천만|백만|만)(?![원\w])"), "KRW"),
)
_MULTIPLIERS = {
    "k": 1_000,
    "K": 1_000,
    "천": 1_000,
    "만": 10_000,
    "십만": 100_000,
    "백만": 1_000_000,
    "천만": 10_000_000,
    "억": 100_000_000,
    "ម៉ឺន": 10_000,
    "សែន": 100_000,
    "លាន": 1_000_000,
}


def _money(text: str) -> Iterable[Entity]:
    taken: list[tuple[int, int]] = []
    for pattern, currency in _MONEY_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            number = m.group(1)
            try:
                amount = float(re.sub(r"[,\s]", "", number))
            except ValueError:
                continue
            groups = m.groups()
            mult = groups[1] if len(groups) > 1 and groups[1] else ""
            cur = currency
            if mult == "만" and currency == "USD":
                cur = "USD"
            amount *= _MULTIPLIERS.get(mult, 1)
            if amount <= 0:
                continue
            taken.append((m.start(), m.end()))
            shown = f"{amount:.2f}".rstrip("0").rstrip(".")
            yield Entity("money", f"{shown} {cur}", m.group(0).strip(), (("currency", cur), ("amount", shown)))


# --- all together -----------------------------------------------------------------------


# Every pattern above needs one of these: a digit, a dot, colon, slash or "@", a KakaoTalk or
# LINE id keyword, or a TRON address (base58, possibly without digits). A text with none of
# them has no entities, and most questions people type are such texts.
_MAY_HOLD_ENTITIES = re.compile(
    r"[\d.:/@]|kakao|카카오|카톡|오픈채팅|line|라인|T[1-9A-HJ-NP-Za-km-z]{33}",
    re.IGNORECASE,
)


def extract_from_clean(text: str) -> Entities:
    """Extract entities from text already passed through :func:`clean_text`.

    Args:
        text: Cleaned text (NFKC, invisibles removed, defanged links restored).

    Returns:
        The entities, de-duplicated by ``(kind, value)``.
    """
    if not _MAY_HOLD_ENTITIES.search(text):
        return Entities()
    return _extract_all(text)


def _extract_all(text: str) -> Entities:
    """Run every extractor (what :func:`extract_from_clean` does once the text may hold entities)."""
    found: list[Entity] = []
    urls = list(_urls(text))
    handles = list(_handles(text))
    handle_spans_text = " ".join(h.raw for h in handles)
    # A t.me/wa.me link is reported as a handle, not also as a URL.
    for u in urls:
        host = u.get("host")
        if host in {"t.me", "telegram.me", "wa.me", "open.kakao.com", "line.me", "lin.ee"} and (
            u.raw.split("//")[-1] in handle_spans_text or u.raw in handle_spans_text
        ):
            continue
        found.append(u)
    url_text = " ".join(u.raw for u in urls)
    phone_pairs = list(_phones(text))
    phone_spans = [span for _, span in phone_pairs]
    for ent, _span in phone_pairs:
        if ent.raw in url_text:
            continue
        found.append(ent)
    found.extend(_accounts(text, phone_spans))
    found.extend(_wallets(text))
    for h in handles:
        if h.kind == "telegram" and h.raw.startswith("@") and f"{h.raw}" in url_text:
            continue
        found.append(h)
    found.extend(_money(text))
    unique: dict[tuple[str, str], Entity] = {}
    for ent in found:
        unique.setdefault((ent.kind, ent.value), ent)
    return Entities(tuple(unique.values()))


def extract_entities(text: str) -> Entities:
    """Extract links, phone numbers, accounts, wallets, chat handles and amounts.

    Args:
        text: A message as received; it is cleaned first (NFKC, invisibles, defanged links).

    Returns:
        The :class:`Entities` found, in order of kind then appearance.
    """
    return extract_from_clean(clean_text(text[:20_000]))
