"""Each red-flag signal fires on a realistic message in km, ko or en, and not on look-alikes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classifier.entities import extract_entities
from classifier.normalise import normalise
from classifier.signals import SIGNAL_IDS, find_signals


def signal_ids(text: str) -> set[str]:
    return {s.id for s in find_signals(normalise(text), extract_entities(text))}


CASES = [
    ("urgency_threat", "en", "Your account will be suspended within 24 hours"),
    ("urgency_threat", "ko", "오늘까지 납부하지 않으면 계좌가 정지됩니다"),
    ("urgency_threat", "km", "គណនីរបស់អ្នកនឹងត្រូវបិទ សូមធ្វើភ្លាមៗ"),
    ("asks_for_code", "en", "Please send me the OTP code you just received"),
    ("asks_for_code", "ko", "문자로 받은 인증번호 알려주세요"),
    ("asks_for_code", "km", "សូមប្រាប់លេខកូដ OTP ដែលទើបផ្ញើទៅអ្នក"),
    ("upfront_fee", "en", "Pay a processing fee of $50 to receive your loan"),
    ("upfront_fee", "ko", "대출 실행 전 보증금 30만원 선입금 필요"),
    ("upfront_fee", "km", "សូមបង់ថ្លៃដំណើរការ 20 ដុល្លារ មុនទទួលប្រាក់"),
    ("guaranteed_returns", "en", "Guaranteed profit of 5% daily, risk free"),
    ("guaranteed_returns", "ko", "원금 보장 확정 수익 리딩방"),
    ("guaranteed_returns", "km", "វិនិយោគតិច ចំណេញច្រើន ធានាចំណេញ"),
    ("lookalike_domain", "en", "Login at https://ababank-secure.xyz/login"),
    ("lookalike_domain", "ko", "[KB] 보안인증 kbstar-bank.top 접속"),
    ("lookalike_domain", "en", "update at acIeda-online.com"),  # capital I for l
    ("lookalike_domain", "en", "claim at metamask-wallet.io"),
    ("punycode_domain", "en", "visit http://xn--80ak6aa92e.com"),
    ("known_phishing_domain", "en", "Claim your airdrop at https://nfts-mints.com/claim"),
    ("url_shortener", "ko", "주소 확인 me2.do/abc123"),
    ("ip_host", "en", "go to http://103.4.5.6/kb/login"),
    ("apk_link", "ko", "보안앱 설치 http://secure-app.top/kb.apk"),
    ("job_free_travel", "en", "Job in Thailand, free flight and accommodation"),
    ("job_free_travel", "ko", "해외 일자리, 항공권 제공 숙식 제공"),
    ("job_passport_held", "km", "ការងារនៅថៃ ក្រុមហ៊ុនរក្សាលិខិតឆ្លងដែន"),
    ("job_passport_held", "ko", "취업 후 여권은 회사에서 보관합니다"),
    ("job_tourist_visa", "en", "Hiring now, come on a tourist visa, we arrange work"),
    ("job_tourist_visa", "km", "ការងារនៅមីយ៉ាន់ម៉ា ប្រើទិដ្ឋាការទេសចរណ៍"),
    ("job_high_salary", "en", "Customer service job, salary $3,000 per month"),
    ("job_high_salary", "ko", "고수익 알바 모집, 월 1000만원"),
    ("job_high_salary", "km", "ការងារ ប្រាក់ខែ 2500 ដុល្លារ"),
    ("job_vague_employer", "ko", "채용, 경력무관 초보가능 단순업무"),
    ("job_chat_only_contact", "en", "Hiring staff, contact via Telegram @hr_boss88"),
    ("job_chat_only_contact", "km", "ជ្រើសរើសបុគ្គលិក ទាក់ទងតាមតេឡេក្រាម"),
    ("job_compound_area", "en", "Job in Sihanoukville, salary paid monthly"),
    ("job_compound_area", "ko", "미야와디 카지노 채용"),
    ("job_compound_area", "km", "ការងារនៅបាវិត ប្រាក់ខែល្អ"),
    ("impersonation_authority", "ko", "서울중앙지검 수사관입니다. 안전계좌로 이체하세요"),
    ("impersonation_authority", "en", "This is the police. There is an arrest warrant in your name"),
    ("impersonation_authority", "km", "គណនីរបស់អ្នកពាក់ព័ន្ធនឹងករណីលាងលុយ"),
    ("remote_access_app", "en", "Install AnyDesk so I can fix your account"),
    ("remote_access_app", "ko", "팀뷰어 설치해 주세요"),
    ("gift_card_or_crypto_payment", "en", "Pay with Google Play gift cards"),
    ("gift_card_or_crypto_payment", "ko", "문화상품권 핀번호 보내주세요"),
    ("gift_card_or_crypto_payment", "en", "send to TXYZabcdefghijkmnopqrstuvwxyz12345"),
    ("secrecy_request", "en", "Don't tell anyone about this, keep it secret"),
    ("secrecy_request", "ko", "가족에게 알리지 마세요"),
    ("secrecy_request", "km", "កុំប្រាប់អ្នកណាអំពីរឿងនេះ"),
    ("blackmail_threat", "en", "Pay or I will send the video to all your contacts"),
    ("blackmail_threat", "ko", "돈 안 보내면 지인들한테 영상 유포합니다"),
    ("blackmail_threat", "km", "បើមិនផ្ញើលុយ ខ្ញុំនឹងផ្ញើទៅគ្រួសាររបស់អ្នក"),
    ("prize_claim", "ko", "이벤트 당첨되셨습니다"),
    ("parcel_problem", "ko", "택배 주소불명으로 반송 예정"),
    ("loan_offer", "km", "កម្ចីលឿន ការប្រាក់ទាប"),
    ("premium_rate", "en", "You have won a ringtone! Text WIN to 87121, 150p/msg"),
    ("premium_rate", "en", "Weekly horoscope, £1.50/wk. Txt STOP to end"),
    ("premium_rate", "ko", "정보이용료 3,000원 부과, 문의 060-700-1234"),
    ("premium_rate", "km", "ផ្ញើ ON ទៅ 1234 ដើម្បីទទួលរង្វាន់ 500 រៀល ក្នុងមួយសារ"),
    ("call_forwarding_code", "en", "To keep your SIM active please dial **21*0961234567# now"),
    ("call_forwarding_code", "ko", "본인 확인을 위해 착신전환 설정해 주세요"),
    ("call_forwarding_code", "km", "សូមចុច *62*012345678# ដើម្បីផ្ទៀងផ្ទាត់ស៊ីមកាត"),
    ("call_forwarding_code", "km", "សូមបើកការបញ្ជូនបន្តការហៅទៅលេខ 012345678"),
]


@pytest.mark.parametrize(("signal", "lang", "text"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_signal_fires(signal: str, lang: str, text: str) -> None:
    assert signal in signal_ids(text)


def test_every_signal_has_at_least_one_case() -> None:
    assert {c[0] for c in CASES} == set(SIGNAL_IDS)


def test_real_otp_message_that_warns_not_to_share_does_not_ask_for_code() -> None:
    assert "asks_for_code" not in signal_ids("Your code is 123456. Never share this code with anyone.")
    assert "asks_for_code" not in signal_ids("[KB] 인증번호 [123456] 타인에게 절대 알려주지 마세요.")
    assert "asks_for_code" not in signal_ids("លេខកូដរបស់អ្នកគឺ 123456។ កុំចែករំលែកលេខកូដនេះ។")


def test_official_domains_are_not_lookalikes() -> None:
    for text in (
        "https://www.ababank.com/login",
        "https://obank.kbstar.com",
        "https://www.epost.go.kr",
        "www.spo.go.kr",
    ):
        assert "lookalike_domain" not in signal_ids(text), text


def test_unrelated_domains_are_not_lookalikes() -> None:
    for text in ("https://www.wikipedia.org", "http://kb.example.com/docs", "https://kababhouse.com"):
        assert "lookalike_domain" not in signal_ids(text), text


def test_closing_notices_are_not_threats() -> None:
    assert "urgency_threat" not in signal_ids("The embassy will be closed on Monday for a public holiday.")
    assert "urgency_threat" not in signal_ids("ស្ថានទូតនឹងបិទនៅថ្ងៃបុណ្យជាតិ")


def test_job_signals_need_a_job_context() -> None:
    news = "ក្រុងព្រះសីហនុ មានភ្ញៀវទេសចរច្រើនក្នុងឆ្នាំនេះ"  # tourism news about Sihanoukville
    assert "job_compound_area" not in signal_ids(news)


def test_evidence_names_what_was_found() -> None:
    (sig,) = [
        s
        for s in find_signals(normalise("visit http://1.2.3.4/x"), extract_entities("visit http://1.2.3.4/x"))
        if s.id == "ip_host"
    ]
    assert sig.evidence == "1.2.3.4" and sig.severity == "high"


def test_every_signal_is_documented() -> None:
    doc = (Path(__file__).parents[2] / "classifier" / "SIGNALS.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.M))
    assert documented == set(SIGNAL_IDS)


def test_ordinary_prices_and_opt_outs_of_other_kinds_are_not_premium_rate() -> None:
    for text in (
        "The flat is £500 a month, bills included",
        "Send 100 to 012345678 please, I'll pay you back tomorrow",
        "Send the rent to 0961234567 on Friday",  # a Cambodian mobile number, not a short code
        "I'll text you at 5 when I leave work",
        "ប្អូនផ្ញើលុយ 20 ដុល្លារ ទៅម៉ាក់ហើយ",
    ):
        assert "premium_rate" not in signal_ids(text), text


def test_balance_codes_and_cancelling_forwarding_are_not_call_forwarding() -> None:
    for text in (
        "Dial *100# to check your balance",
        "Smart: dial *888# to buy a data package",
        "Dial ##002# to cancel call forwarding on your phone",
        "착신전환 해제는 ##002#을 누르세요",
        "If anyone asks you to dial **21*, do not dial it",
    ):
        assert "call_forwarding_code" not in signal_ids(text), text
