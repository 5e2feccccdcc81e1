"""Entity extraction in Khmer, Korean and English messages."""

from __future__ import annotations

from classifier.entities import extract_entities


def kinds(text: str) -> dict[str, list[str]]:
    return extract_entities(text).by_kind()


def test_url_with_registered_domain_and_defanged_form() -> None:
    ents = extract_entities("Verify at hxxps://login.aba-secure[.]xyz/kh now")
    (url,) = ents.of("url")
    assert url.value == "https://login.aba-secure.xyz/kh"
    assert url.get("domain") == "aba-secure.xyz"


def test_bare_domains_and_korean_context_urls() -> None:
    found = kinds("[CJ대한통운] 주소확인 cj-kr.top/a 바로가기")
    assert found["url"] == ["http://cj-kr.top/a"]


def test_punycode_host_is_decoded() -> None:
    (url,) = extract_entities("http://xn--80ak6aa92e.com/login").of("url")
    assert url.get("host") == "аррӏе.com"
    assert url.get("idn") == "1"


def test_email_addresses_are_not_links() -> None:
    assert "url" not in kinds("Send your CV to hr@company.com.kh please")


def test_cambodian_korean_and_international_phone_numbers() -> None:
    ents = extract_entities("Call 012 345 678 or 010-1234-5678 or +66 81 234 5678")
    by_value = {e.value: e for e in ents.of("phone")}
    assert by_value["+85512345678"].get("country") == "KH"
    assert by_value["+821012345678"].get("country") == "KR"
    assert by_value["+821012345678"].get("type") == "MOBILE"
    assert by_value["+66812345678"].get("country") == "TH"


def test_bank_accounts_need_account_context_in_each_language() -> None:
    assert kinds("입금계좌: 국민은행 123456-78-901234")["bank_account"] == ["12345678901234"]
    assert kinds("សូមផ្ទេរប្រាក់ទៅគណនី 001 234 567")["bank_account"] == ["001234567"]
    assert kinds("transfer to account 0012 3456 789")["bank_account"] == ["00123456789"]
    assert "bank_account" not in kinds("order number 123456789 shipped")


def test_crypto_wallets() -> None:
    ents = extract_entities(
        "USDT TRC20: TXYZabcdefghijkmnopqrstuvwxyz12345 or ETH 0x52908400098527886E0F7030069857D2E4169EE7"
    )
    chains = {e.get("chain"): e.value for e in ents.of("crypto_wallet")}
    assert chains["tron"] == "TXYZabcdefghijkmnopqrstuvwxyz12345"
    assert chains["ethereum"] == "0x52908400098527886e0f7030069857d2e4169ee7"


def test_chat_handles_and_links() -> None:
    found = kinds("join t.me/jobs_kh_2024, wa.me/85512345678, kakao id: boss77, line id: abc99, or @hr_cambodia")
    assert found["telegram"] == ["jobs_kh_2024", "hr_cambodia"]
    assert found["whatsapp"] == ["85512345678"]
    assert found["kakao"] == ["boss77"]
    assert found["line"] == ["abc99"]
    assert "url" not in found


def test_korean_kakao_open_chat_link() -> None:
    assert kinds("오픈카톡 open.kakao.com/o/sAbc123")["kakao"] == ["sabc123"]


def test_money_amounts_with_currencies() -> None:
    assert kinds("salary $3,500 per month")["money"] == ["3500 USD"]
    assert kinds("ប្រាក់ខែ ២០០០ ដុល្លារ")["money"] == ["2000 USD"]
    assert kinds("월 500만원 보장")["money"] == ["5000000 KRW"]
    assert kinds("deposit 100 USDT")["money"] == ["100 USDT"]
    assert kinds("ថ្លៃ 40,000 រៀល")["money"] == ["40000 KHR"]


def test_ordinary_message_has_no_entities() -> None:
    assert len(extract_entities("See you at dinner, love you")) == 0
