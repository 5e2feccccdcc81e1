"""Pure rules: indicator normalisation, text fingerprints, credibility, routing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake import (
    INDICATOR_KINDS,
    RoutingFacts,
    RoutingRules,
    ScoringInputs,
    ScoringWeights,
    SignalRef,
    indicators_from_entities,
    normalise_indicator,
    route,
    score_report,
)
from intake.fingerprint import fingerprint, similarity
from intake.indicators import parse_lookup
from intake.scoring import PriorIndicator
from tests.intake.factories import JOB_TEXT_KO, PARCEL_TEXT, PRIZE_TEXT

# --- indicators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "normal"),
    [
        ("phone", "+855 12-345-678", "+85512345678"),
        ("phone", "0085512345678", "+85512345678"),
        ("phone", "12", None),
        ("bank_account", "000 111 222 333", "000111222333"),
        ("crypto_wallet", "0xAbC0000000000000000000000000000000000dEf", "0xabc0000000000000000000000000000000000def"),
        ("crypto_wallet", "TXyZ1111111111111111111111111111ab", "TXyZ1111111111111111111111111111ab"),
        ("telegram", "@Fast_Cash_KH", "fast_cash_kh"),
        ("url", "HTTPS://Login.ABA-Prize.xyz:443/claim?x=1#top", "https://login.aba-prize.xyz/claim?x=1"),
        ("url", "aba-prize.xyz/", "http://aba-prize.xyz"),
        ("url", "javascript:alert(1)", None),
        ("domain", "ABA-Prize.XYZ.", "aba-prize.xyz"),
        ("email", "Scam@Example.COM", "scam@example.com"),
        ("money", "1500 USD", None),
    ],
)
def test_indicators_are_normalised(kind: str, raw: str, normal: str | None) -> None:
    assert normalise_indicator(kind, raw) == normal


@given(st.sampled_from(INDICATOR_KINDS), st.text(max_size=60))
def test_normalising_twice_changes_nothing(kind: str, raw: str) -> None:
    once = normalise_indicator(kind, raw)
    if once is not None:
        assert normalise_indicator(kind, once) == once


def test_links_add_their_registered_domain_unless_it_is_a_platform() -> None:
    pairs = indicators_from_entities(
        {"url": ["https://secure.aba-prize.xyz/login", "https://t.me/fast_cash"], "money": ["500 USD"]}
    )
    assert pairs == (
        ("domain", "aba-prize.xyz"),
        ("url", "https://secure.aba-prize.xyz/login"),
        ("url", "https://t.me/fast_cash"),
    )


def test_lookup_names_a_bad_kind_and_hides_the_value() -> None:
    with pytest.raises(ValueError, match="kind 'iban' is not one of"):
        parse_lookup("iban", "x")
    with pytest.raises(ValueError, match="not a valid phone") as err:
        parse_lookup("phone", "call 12")
    assert "call 12" not in str(err.value)


# --- fingerprints -------------------------------------------------------------------------


def test_template_copies_match_and_other_scams_do_not() -> None:
    a = fingerprint(PRIZE_TEXT)
    b = fingerprint(PRIZE_TEXT.replace("$500", "$900").replace("aba-prize.xyz", "aba-gift.top"))
    edited = fingerprint(PRIZE_TEXT.replace("Congratulations!", "Congratulations Dara!").replace("ABA", "Wing"))
    other = fingerprint(PARCEL_TEXT)
    assert a and b and edited and other
    assert a.template == b.template  # only numbers and the link differ
    assert similarity(a.signature, edited.signature) >= 0.7
    assert set(a.bands) & set(edited.bands)
    assert similarity(a.signature, other.signature) < 0.3


def test_fingerprints_work_without_spaces_between_words() -> None:
    khmer = "សូមអបអរសាទរ! អ្នកបានឈ្នះរង្វាន់ ១០០០ ដុល្លារ។ សូមចុចតំណនេះ ហើយបញ្ចូលលេខកូដ PIN របស់អ្នក"
    a, b = fingerprint(khmer), fingerprint(khmer.replace("១០០០", "៥០០"))
    korean_variant = JOB_TEXT_KO.replace("500만원", "700만원").replace("@easyjob_kh", "@job")
    c, d = fingerprint(JOB_TEXT_KO), fingerprint(korean_variant)
    assert a and b and c and d
    assert a.template == b.template
    assert similarity(c.signature, d.signature) >= 0.7


def test_short_texts_have_no_fingerprint() -> None:
    assert fingerprint("scam!! call me") is None


# --- credibility --------------------------------------------------------------------------


def _codes(inputs: ScoringInputs) -> dict[str, float]:
    return {r.code: r.points for r in score_report(inputs).reasons}


def test_every_point_of_the_score_has_a_reason() -> None:
    inputs = ScoringInputs(
        classifier_score=0.8,
        signals=(SignalRef("asks_for_code", "high"), SignalRef("urgency", "low")),
        texts=1,
        files=2,
        money_details=True,
    )
    result = score_report(inputs)
    assert result.score == pytest.approx(sum(r.points for r in result.reasons))
    assert _codes(inputs) == pytest.approx(
        {"base": 0.1, "classifier": 0.32, "red_flags": 0.1, "evidence": 0.1, "files": 0.05, "money_details": 0.05}
    )


def test_indicators_known_to_others_raise_the_score_and_confirmed_ones_most() -> None:
    bare = score_report(ScoringInputs()).score
    crowd = score_report(ScoringInputs(prior=(PriorIndicator("phone", "crowd", 3),))).score
    confirmed = score_report(ScoringInputs(prior=(PriorIndicator("phone", "confirmed", 0),))).score
    disputed = score_report(ScoringInputs(prior=(PriorIndicator("phone", "confirmed", 0, removal_requested=True),)))
    assert bare < crowd < confirmed
    assert disputed.score < confirmed
    reason = next(r for r in score_report(ScoringInputs(prior=(PriorIndicator("phone", "crowd", 3),))).reasons)
    assert reason.code == "base"


def test_reasons_name_kinds_and_counts_never_values() -> None:
    result = score_report(ScoringInputs(prior=(PriorIndicator("bank_account", "crowd", 4),)))
    assert result.reasons[-1].detail == "bank_account reported by 4 other people"


def test_a_reporter_whose_reports_were_mostly_rejected_counts_less() -> None:
    good = score_report(ScoringInputs(classifier_score=0.5, history={"forwarded": 2})).score
    none = score_report(ScoringInputs(classifier_score=0.5)).score
    bad = score_report(ScoringInputs(classifier_score=0.5, history={"rejected": 3, "forwarded": 1})).score
    assert bad < none < good


def test_signal_points_are_capped_and_the_score_stays_in_range() -> None:
    many = tuple(SignalRef(f"s{i}", "high") for i in range(20))
    result = score_report(
        ScoringInputs(classifier_score=1.0, signals=many, prior=(PriorIndicator("phone", "confirmed", 9),), texts=1),
        ScoringWeights(),
    )
    assert _codes(ScoringInputs(signals=many))["red_flags"] == 0.2
    assert result.score == 1.0


# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "target", "reasons"),
    [
        (RoutingFacts("km"), "kh", ("default",)),
        (RoutingFacts("en", phones=("+85512345678",)), "kh", ("cambodian_phone",)),
        (RoutingFacts("ko"), "kr", ("korean_language",)),
        (RoutingFacts("en", korean_national=True), "kr", ("korean_national",)),
        (RoutingFacts("en", phones=("+821012345678",)), "kr", ("korean_phone",)),
        (RoutingFacts("en", banks=("KB Kookmin",)), "kr", ("korean_bank",)),
        (RoutingFacts("ko", banks=("ABA",)), "both", ("korean_language", "cambodian_bank")),
        (RoutingFacts("en", korean_national=True, urgent=True), "both", ("korean_national", "urgent_in_cambodia")),
    ],
)
def test_routing_rules(facts: RoutingFacts, target: str, reasons: tuple[str, ...]) -> None:
    decision = route(facts)
    assert (decision.target, decision.reasons) == (target, reasons)


def test_routing_rules_are_configurable_from_data() -> None:
    rules = RoutingRules.from_mapping({"kr_languages": ["ko", "KO-KR"], "urgent_korean_both": False})
    assert route(RoutingFacts("ko-kr"), rules).target == "kr"
    assert route(RoutingFacts("en", korean_national=True, urgent=True), rules).target == "kr"
    with pytest.raises(ValueError, match="unknown routing rule.*kr_langs"):
        RoutingRules.from_mapping({"kr_langs": ["ko"]})
