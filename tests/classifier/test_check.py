"""check_text without a model (signals only) and the documented JSON shape."""

from __future__ import annotations

from classifier.check import check_text, decide
from classifier.features import analyse
from classifier.model import ModelOutput

DOCUMENTED_FIELDS = {"verdict", "score", "scam_type", "language", "signals", "entities", "similar_reports"}


def test_json_has_exactly_the_documented_fields() -> None:
    result = check_text("Pay the fee at http://aba-secure.xyz within 24 hours", None, similar_reports=3)
    data = result.to_json()
    assert set(data) == DOCUMENTED_FIELDS
    assert data["similar_reports"] == 3
    assert all(set(s) == {"id", "severity", "evidence"} for s in data["signals"])
    assert data["entities"]["url"] == ["http://aba-secure.xyz"]


def test_signals_only_mode_flags_a_clear_scam() -> None:
    text = "서울중앙지검 수사관입니다. 명의도용 사건으로 안전계좌로 이체하세요. 가족에게 알리지 마세요."
    result = check_text(text, None)
    assert result.verdict == "scam"
    assert result.language == "ko"
    assert result.scam_type == "impersonation"


def test_signals_only_mode_says_no_signs_for_family_chat() -> None:
    result = check_text("ម៉ាក់ ថ្ងៃនេះកូនមកផ្ទះយឺតបន្តិច", None)
    assert result.verdict == "no_signs"
    assert result.scam_type is None
    assert result.language == "km"


def test_a_technical_red_flag_is_never_no_signs() -> None:
    assert check_text("http://103.4.5.6/login", None).verdict != "no_signs"


def test_a_call_forwarding_request_is_never_no_signs_even_when_the_model_sees_none() -> None:
    # The training data holds no forwarding codes, so a model scores them like ordinary text.
    quiet = ModelOutput(score=0.01, scam_type=None, type_score=0.0, used_embedding=False, scam_at=0.5)
    assert decide(analyse("Dial **21*0961234567# to keep your number active"), quiet).verdict == "suspicious"
    assert decide(analyse("Dial *100# to check your balance"), quiet).verdict == "no_signs"


def test_known_phishing_domain_is_a_scam_on_its_own() -> None:
    assert check_text("https://nfts-mints.com", None).verdict == "scam"


def test_language_detection() -> None:
    assert check_text("Hello there", None).language == "en"
    assert check_text("안녕하세요 http://example.com", None).language == "ko"
    assert check_text("สวัสดีครับ", None).language == "other"
    assert check_text("Kính gửi quý khách, tài khoản của bạn đã bị khóa", None).language == "other"
    assert check_text("Meet at the café at noon", None).language == "en"
    assert check_text("12345", None).language == "other"
