"""Property tests: normalisation and extraction never raise, whatever people send."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier import entities as entities_module
from classifier.check import check_text
from classifier.data import load_eval_file, load_training
from classifier.entities import extract_entities
from classifier.normalise import clean_text, normalise
from classifier.paths import DATA_DIR

# Text biased towards the characters that matter: links, digits, Khmer, Hangul, invisibles.
_alphabet = st.one_of(
    st.characters(),
    st.sampled_from(list("hxps:/[.]()@$₩៛0123456789០១២ +-_.")),
    st.characters(min_codepoint=0x1780, max_codepoint=0x17FF),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    st.sampled_from(["\u200b", "\u200d", "\u3164", "\ufeff", "\u202e"]),
)
texts = st.text(alphabet=_alphabet, max_size=400)


@given(texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalise_never_raises_and_keeps_its_promises(text: str) -> None:
    n = normalise(text)
    assert n.display == text[:20_000]
    assert n.match == n.match.lower() or not n.match.isascii()
    assert "\u200b" not in n.match and "\u3164" not in n.match


@given(texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_extract_never_raises(text: str) -> None:
    ents = extract_entities(text)
    for kind, values in ents.by_kind().items():
        assert kind and all(isinstance(v, str) for v in values)


def _skipping_finds_nothing(text: str) -> bool:
    """The fast path may skip a text only when the full extractors would find nothing in it."""
    clean = clean_text(text)
    return bool(entities_module._MAY_HOLD_ENTITIES.search(clean)) or not entities_module._extract_all(clean)


@given(st.text(alphabet=st.one_of(st.characters(exclude_characters="0123456789.:/@"), _alphabet), max_size=300))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_texts_skipped_by_the_fast_path_hold_no_entities(text: str) -> None:
    assert _skipping_finds_nothing(text)


def test_no_real_message_loses_an_entity_to_the_fast_path() -> None:
    texts = [e.text for e in load_training()]
    texts += [e.text for f in sorted(DATA_DIR.glob("*/test*.*")) for e in load_eval_file(f)]
    texts += ["카톡 아이디 scamhelp", "LINE ID: jobthai", "kakaotalk job_korea", "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"]

    missed = [t for t in texts if not _skipping_finds_nothing(t)]

    assert len(texts) > 5000 and missed == []


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_signals_only_check_never_raises(text: str) -> None:
    result = check_text(text, None)
    assert result.verdict in {"scam", "suspicious", "no_signs"}
    assert 0.0 <= result.score <= 1.0


def test_empty_and_huge_input() -> None:
    assert normalise("").match == ""
    assert len(extract_entities("")) == 0
    huge = ("Pay now at http://aba-secure.xyz 012 345 678 ចុចទីនេះ 택배 " * 3000)[:200_000]
    n = normalise(huge)
    assert n.truncated and len(n.display) == 20_000
    assert extract_entities(huge).of("url")
    assert check_text(huge, None).truncated


def test_lone_surrogates_do_not_break_anything() -> None:
    text = "bad \ud800 surrogate http://x.com"
    assert normalise(text).display == text
    assert extract_entities(text).of("url")
