"""The real thing: train the Rasa model (hash-cached), start the Rasa server, ask it in km, ko and en,
then kill it in the middle of a conversation and check the bot keeps answering.

`make test` trains the model first, so here `ensure_model` finds it and the server starts in
about half a minute. One server per module; the last test stops it on purpose.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Iterator

import pytest
from sklearn.metrics import f1_score

from bot.settings import Settings
from content.catalogue import ContentCatalogue
from nlu.client import RasaClient
from nlu.server import PROJECT_ROOT, RasaServer, RasaSetupError, ensure_model, rasa_executable
from nlu.training_data import HELDOUT_DIR, read_examples
from tests.bot.support import about_job_offers, running_bot, script

pytestmark = pytest.mark.rasa

#: Clear examples from nlu/heldout/<lang>.yml (never seen in training).
EXAMPLES = {
    "en": {"greet": ["hi friend", "morning bot"], "scam_job_offer": ["what are fake employment offers"]},
    "ko": {"greet": ["봇아 안녕?", "안녕하세용 ㅎㅎ"], "scam_job_offer": ["캄보디아 취업 사기 얼마나 심해요"]},
    "km": {"greet": ["សួស្តីមិត្ត", "ជំរាបសួរអ្នក"], "scam_job_offer": ["ប្រយ័ត្នការងារក្លែងក្លាយនៅក្រៅប្រទេស"]},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def rasa_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaServer]:
    """The real Rasa server on a free port, with the model for the current data and config."""
    try:
        rasa_executable()
    except RasaSetupError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc} (CI=true requires Rasa)")
        pytest.skip(str(exc))
    model = ensure_model(PROJECT_ROOT / "var" / "rasa")
    log_file = tmp_path_factory.mktemp("rasa") / "rasa.log"
    server = RasaServer(model, port=free_port(), log_file=log_file)
    server.start()
    try:
        asyncio.run(server.wait_ready(timeout=300))
        yield server
    finally:
        server.stop()


@pytest.fixture
async def client(rasa_server: RasaServer) -> AsyncIterator[RasaClient]:
    if not rasa_server.running:
        pytest.skip("the Rasa server was stopped by an earlier test")
    client = RasaClient(rasa_server.url, timeout=30)
    try:
        yield client
    finally:
        await client.aclose()


async def test_server_is_ready_with_the_current_model(rasa_server: RasaServer, client: RasaClient) -> None:
    assert await client.ready()
    assert rasa_server.model.name.startswith("nlu-")


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_greetings_and_job_scam_questions_are_understood(client: RasaClient, lang: str) -> None:
    for intent, texts in EXAMPLES[lang].items():
        for text in texts:
            result = await client.parse(text)

            assert result.source == "rasa"
            assert result.intent == intent, f"{lang}: {text!r} -> {result.intent} ({result.confidence:.2f})"


def heldout_sample(lang: str, per_intent: int = 4) -> list[tuple[str, str]]:
    """The first few held-out examples of every intent (the full set takes minutes on a busy machine)."""
    taken: dict[str, int] = {}
    sample = []
    for text, intent in read_examples([HELDOUT_DIR / f"{lang}.yml"]):
        if taken.get(intent, 0) < per_intent:
            taken[intent] = taken.get(intent, 0) + 1
            sample.append((text, intent))
    return sample


@pytest.mark.parametrize("lang", ["km", "ko", "en"])
async def test_heldout_sample_macro_f1(client: RasaClient, lang: str) -> None:
    """The issue aims at macro F1 >= 0.90 per language on the whole held-out set (`scambot nlu eval`);
    below 0.75 on this sample is a clear regression."""
    sample = heldout_sample(lang)
    semaphore = asyncio.Semaphore(4)

    async def predict(text: str) -> str:
        async with semaphore:
            return (await client.parse(text)).intent

    predicted = await asyncio.gather(*(predict(text) for text, _ in sample))
    truth = [intent for _, intent in sample]
    score = f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)
    print(f"Rasa held-out sample macro F1 {lang}: {score:.3f} ({len(sample)} examples)")

    assert len(set(truth)) >= 22
    assert score >= 0.75


async def test_bot_keeps_answering_after_rasa_is_killed_mid_conversation(
    rasa_server: RasaServer,
    settings: Settings,
    trained_models: None,
) -> None:
    if not rasa_server.running:
        pytest.skip("the Rasa server was stopped by an earlier test")
    content = ContentCatalogue()
    settings = settings.model_copy(update={"nlu_timeout": 10.0})  # a busy test machine is slow to parse
    async with running_bot(settings, nlu_url=rasa_server.url) as bot:
        services = bot.app.bot_data.services
        assert services is not None
        chat = bot.chat(language_code="ko")

        hello = await chat.say("봇아 안녕?")
        assert not services.nlu.health().degraded  # Rasa answered
        assert script(hello.text) == "ko"

        rasa_server.stop()
        assert not rasa_server.running

        questions = [
            "캄보디아 일자리인데 항공권 공짜로 준대요 이거 사기예요?",
            "is this job in cambodia with free flight a scam",
            "ការងារនៅកម្ពុជា គេចេញថ្លៃសំបុត្រយន្តហោះឱ្យ តើជាការបោកប្រាស់ទេ",
        ]
        answers = [await chat.say(text) for text in questions]

        for answer in answers:
            assert answer.messages
        assert about_job_offers(answers[0].text, "ko", content)
        assert script(answers[2].text) == "km"
        assert about_job_offers(answers[2].text, "km", content)
        health = services.nlu.health()
        assert health.degraded
        assert health.rasa_failures >= 1
        bot.assert_no_crash([hello, *answers])
