"""Routing: which intake receives a case (Cambodian authorities, the Korean side, or both).

Rules are data (:class:`RoutingRules`, loadable from a mapping such as YAML), and
:func:`route` is a pure function of the rules and the facts of a case, returning the
reasons with the decision so analysts can see why a case went where it went.

* Korean side (``kr``): the victim is a Korean national, the report is in Korean, or the
  scam used a Korean phone number or a Korean bank.
* Cambodian side (``kh``): everything else, and in addition to ``kr`` when the scam used
  a Cambodian number or bank, or when a Korean national is in danger in Cambodia now
  (local police and the consular side must both act).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_KR_BANKS = frozenset(
    {
        "kb",
        "kookmin",
        "국민",
        "국민은행",
        "shinhan",
        "신한",
        "신한은행",
        "woori",
        "우리",
        "우리은행",
        "hana",
        "하나",
        "하나은행",
        "nh",
        "nonghyup",
        "농협",
        "ibk",
        "기업",
        "기업은행",
        "kakaobank",
        "kakao bank",
        "카카오뱅크",
        "toss",
        "tossbank",
        "toss bank",
        "토스뱅크",
        "k bank",
        "kbank",
        "케이뱅크",
        "sc제일",
        "새마을금고",
        "우체국",
    }
)
DEFAULT_KH_BANKS = frozenset(
    {
        "aba",
        "acleda",
        "wing",
        "canadia",
        "prince",
        "sathapana",
        "ppcbank",
        "chip mong",
        "amk",
        "hattha",
        "true money",
        "truemoney",
        "pi pay",
        "pipay",
        "bakong",
        "ftb",
        "vattanac",
    }
)


@dataclass(frozen=True, slots=True)
class RoutingRules:
    """Configurable routing rules.

    Attributes:
        kr_languages: Conversation languages that route to the Korean side.
        kr_phone_prefixes: Phone prefixes (E.164) that route to the Korean side.
        kh_phone_prefixes: Phone prefixes that add the Cambodian side.
        kr_banks: Bank names (lower case) that route to the Korean side.
        kh_banks: Bank names that add the Cambodian side.
        urgent_korean_both: An urgent case of a Korean national goes to both sides.
        default: Where a case with no other reason goes.
    """

    kr_languages: frozenset[str] = frozenset({"ko"})
    kr_phone_prefixes: tuple[str, ...] = ("+82",)
    kh_phone_prefixes: tuple[str, ...] = ("+855",)
    kr_banks: frozenset[str] = DEFAULT_KR_BANKS
    kh_banks: frozenset[str] = DEFAULT_KH_BANKS
    urgent_korean_both: bool = True
    default: str = "kh"

    def __post_init__(self) -> None:
        if self.default not in ("kh", "kr", "both"):
            raise ValueError(f"default routing {self.default!r} must be kh, kr or both")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RoutingRules:
        """Build rules from a mapping (e.g. parsed YAML); missing keys keep their defaults.

        Raises:
            ValueError: Naming an unknown key.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown routing rule(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("kr_languages", "kr_banks", "kh_banks"):
                values[key] = frozenset(str(v).lower() for v in value)
            elif key.endswith("_prefixes"):
                values[key] = tuple(str(v) for v in value)
            else:
                values[key] = value
        return cls(**values)


@dataclass(frozen=True, slots=True)
class RoutingFacts:
    """What routing looks at.

    Attributes:
        language: Conversation language.
        korean_national: The victim is a Korean national (None: not asked).
        phones: Normalised phone indicators of the case.
        banks: Bank names mentioned (payment bank, ``bank`` entities).
        urgent: Someone is in danger now.
    """

    language: str
    korean_national: bool | None = None
    phones: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Routing:
    """The decision and its reasons (stable codes)."""

    target: str
    reasons: tuple[str, ...]


def _bank_matches(banks: Iterable[str], names: frozenset[str]) -> bool:
    for bank in banks:
        b = bank.strip().lower()
        if b in names or any(b.startswith(n + " ") for n in names):
            return True
    return False


def route(facts: RoutingFacts, rules: RoutingRules | None = None) -> Routing:
    """Decide where a case goes.

    Args:
        facts: The case's language, nationality, phones, banks and urgency.
        rules: Routing rules (defaults: :class:`RoutingRules`).

    Returns:
        ``kh``, ``kr`` or ``both``, with the codes of the rules that fired.
    """
    r = rules or RoutingRules()
    kr: list[str] = []
    kh: list[str] = []
    if facts.korean_national:
        kr.append("korean_national")
    if facts.language.lower() in r.kr_languages:
        kr.append("korean_language")
    if any(p.startswith(r.kr_phone_prefixes) for p in facts.phones):
        kr.append("korean_phone")
    if _bank_matches(facts.banks, r.kr_banks):
        kr.append("korean_bank")
    if any(p.startswith(r.kh_phone_prefixes) for p in facts.phones):
        kh.append("cambodian_phone")
    if _bank_matches(facts.banks, r.kh_banks):
        kh.append("cambodian_bank")
    if facts.urgent and facts.korean_national and r.urgent_korean_both:
        kh.append("urgent_in_cambodia")
    if kr and kh:
        return Routing("both", tuple(kr + kh))
    if kr:
        return Routing("kr", tuple(kr))
    if kh:
        return Routing("kh", tuple(kh))
    return Routing(r.default, ("default",))
