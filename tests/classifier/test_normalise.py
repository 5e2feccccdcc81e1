"""Normalisation: what scammers do to dodge filters must not change what we match."""

from __future__ import annotations

import pytest

from classifier.normalise import normalise


def test_cyrillic_lookalikes_in_latin_words_are_folded_for_matching_but_shown_as_sent() -> None:
    n = normalise("Your аccount at рaypal is locked")  # Cyrillic а and р
    assert n.match == "your account at paypal is locked"
    assert n.display == "Your аccount at рaypal is locked"


def test_zero_width_and_hangul_fillers_are_removed() -> None:
    assert normalise("ur\u200bgent\u2060 pay").match == "urgent pay"
    assert normalise("택\u3164배 주소").match == "택배 주소"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hxxps://aba-bank[.]com/login", "https://aba-bank.com/login"),
        ("visit secure-login(.)xyz now", "visit secure-login.xyz now"),
        ("go to kb-bank dot com", "go to kb-bank.com"),
        ("open aba-pay . com", "open aba-pay.com"),
        ("hxxp[:]//1.2.3[.]4/a.apk", "http://1.2.3.4/a.apk"),
    ],
)
def test_defanged_links_are_restored(raw: str, expected: str) -> None:
    assert normalise(raw).match == expected


def test_sentences_are_not_glued_into_domains() -> None:
    assert normalise("I went home. Today was fine").match == "i went home. today was fine"


def test_full_width_and_khmer_digits_become_ascii() -> None:
    assert normalise("ＡＢＡ　ＢＡＮＫ").match == "aba bank"
    assert normalise("ប្រាក់ខែ ២០០០ ដុល្លារ").match == "ប្រាក់ខែ 2000 ដុល្លារ"


def test_khmer_and_hangul_text_is_kept_intact() -> None:
    khmer = "សូមអរគុណច្រើន"
    korean = "고객님의 택배가 도착했습니다"
    assert normalise(khmer).match == khmer
    assert normalise(korean).match == korean


def test_genuine_cyrillic_text_is_not_folded() -> None:
    assert normalise("Привет как дела").match == "привет как дела"


def test_long_input_is_capped_and_flagged() -> None:
    n = normalise("a" * 25_000)
    assert n.truncated and len(n.display) == 20_000
    assert not normalise("short").truncated


def test_bad_cap_is_rejected_with_the_value() -> None:
    with pytest.raises(ValueError, match="0"):
        normalise("x", max_chars=0)
