"""Conversation states and bot data round-trip through the database unchanged."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from storage import (
    SINGLETON_OWNER,
    Database,
    DataKind,
    NotJSONSerialisableError,
    StateRepository,
    check_json,
    decode_key,
    encode_key,
)

KHMER = "សូមប្រយ័ត្នការបោកប្រាស់"
KOREAN = "보이스피싱 주의하세요"


async def test_conversations_round_trip_with_tuple_keys(db: Database) -> None:
    repo = StateRepository(db)
    states = {(-1001234567890, 7_123_456_789): 2, (42,): "ASK_DETAILS", (7, "AgAAAInline"): {"step": 3}}
    for key, state in states.items():
        await repo.upsert_conversation("report", key, state)
    await repo.upsert_conversation("job_offer", (42,), 1)

    restored = await repo.get_conversations("report")

    assert restored == states
    assert all(type(key) is tuple for key in restored)
    assert await repo.get_conversations("job_offer") == {(42,): 1}
    assert await repo.get_conversations("nobody") == {}


async def test_conversation_upsert_replaces_and_delete_forgets(db: Database) -> None:
    repo = StateRepository(db)
    await repo.upsert_conversation("report", (1, 1), 0)
    await repo.upsert_conversation("report", (1, 1), 3)
    assert await repo.get_conversations("report") == {(1, 1): 3}

    await repo.delete_conversation("report", (1, 1))
    await repo.delete_conversation("report", (1, 1))  # already gone: no error

    assert await repo.get_conversations("report") == {}


async def test_user_and_chat_data_are_kept_per_owner(db: Database) -> None:
    repo = StateRepository(db)
    await repo.upsert_data(DataKind.USER, 1, {"lang": "km", "draft": {"text": KHMER}})
    await repo.upsert_data(DataKind.USER, 2, {"lang": "ko", "seen": [1, 2.5, True, None]})
    await repo.upsert_data(DataKind.CHAT, 1, {"chat": KOREAN})

    assert await repo.get_all_data(DataKind.USER) == {
        1: {"lang": "km", "draft": {"text": KHMER}},
        2: {"lang": "ko", "seen": [1, 2.5, True, None]},
    }
    assert await repo.get_all_data(DataKind.CHAT) == {1: {"chat": KOREAN}}
    assert await repo.get_data(DataKind.USER, 2) == {"lang": "ko", "seen": [1, 2.5, True, None]}
    assert await repo.get_data(DataKind.USER, 3) is None


async def test_data_upsert_replaces_and_delete_forgets(db: Database) -> None:
    repo = StateRepository(db)
    await repo.upsert_data(DataKind.USER, 1, {"a": 1})
    await repo.upsert_data(DataKind.USER, 1, {"b": 2})
    assert await repo.get_data(DataKind.USER, 1) == {"b": 2}

    await repo.delete_data(DataKind.USER, 1)
    await repo.delete_data(DataKind.USER, 1)

    assert await repo.get_all_data(DataKind.USER) == {}


async def test_bot_and_callback_data_are_singletons(db: Database) -> None:
    repo = StateRepository(db)
    await repo.upsert_data(DataKind.BOT, SINGLETON_OWNER, {"alerts_sent": 3})
    await repo.upsert_data(DataKind.BOT, SINGLETON_OWNER, {"alerts_sent": 4})
    await repo.upsert_data(DataKind.CALLBACK, SINGLETON_OWNER, [[["id", 1.5, {"x": 1}]], {"q": "id"}])

    assert await repo.get_all_data(DataKind.BOT) == {SINGLETON_OWNER: {"alerts_sent": 4}}
    assert await repo.get_data(DataKind.CALLBACK) == [[["id", 1.5, {"x": 1}]], {"q": "id"}]


async def test_tuples_inside_data_come_back_as_lists(db: Database) -> None:
    repo = StateRepository(db)
    await repo.upsert_data(DataKind.USER, 1, {"pair": (1, "a")})
    assert await repo.get_data(DataKind.USER, 1) == {"pair": [1, "a"]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"draft": {"photo": b"\x89PNG"}}, r"user_data\[5\]\['draft'\]\['photo'\] is a bytes"),
        ({"when": datetime(2025, 1, 1, tzinfo=UTC)}, r"user_data\[5\]\['when'\] is a datetime"),
        ({"tags": {"a", "b"}}, r"user_data\[5\]\['tags'\] is a set"),
        ({"by_id": {7: "x"}}, r"user_data\[5\]\['by_id'\] has a int key 7"),
        ({"score": [0.5, math.nan]}, r"user_data\[5\]\['score'\]\[1\] is nan"),
    ],
)
async def test_values_that_would_change_are_refused(db: Database, value: object, message: str) -> None:
    repo = StateRepository(db)
    await repo.upsert_data(DataKind.USER, 5, {"kept": True})

    with pytest.raises(NotJSONSerialisableError, match=message):
        await repo.upsert_data(DataKind.USER, 5, value)

    assert await repo.get_data(DataKind.USER, 5) == {"kept": True}


async def test_conversation_state_must_be_json(db: Database) -> None:
    repo = StateRepository(db)
    with pytest.raises(NotJSONSerialisableError, match=r"conversation 'report' state for \[1,2\] is a object"):
        await repo.upsert_conversation("report", (1, 2), object())
    assert await repo.get_conversations("report") == {}


def test_error_names_the_path_but_never_the_value() -> None:
    secret = "+855 12 345 678"
    with pytest.raises(NotJSONSerialisableError) as error:
        check_json({"phone": secret.encode()}, "user_data[1]")
    assert "user_data[1]['phone']" in str(error.value)
    assert "345" not in str(error.value)


def test_circular_data_is_refused() -> None:
    data: dict[str, object] = {}
    data["self"] = data
    with pytest.raises(NotJSONSerialisableError, match="circular"):
        check_json(data, "bot_data")


def test_shared_but_not_circular_data_is_accepted() -> None:
    shared = [1, 2]
    check_json({"a": shared, "b": shared}, "bot_data")


@pytest.mark.parametrize("key", [(1, 2), (-100, 7, "inline-id"), ()])
def test_keys_encode_and_decode(key: tuple[int | str, ...]) -> None:
    assert decode_key(encode_key(key)) == key


@pytest.mark.parametrize(("key", "message"), [((1.5,), "float"), ((True,), "bool"), (("x" * 300,), "at most")])
def test_bad_keys_are_refused(key: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        encode_key(key)  # type: ignore[arg-type]
