"""The trained model: verdicts on realistic messages, persistence, and the embedding stage."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from classifier.check import check_many, check_text
from classifier.model import load_model, save_model
from classifier.paths import default_model_path

KO_PARCEL = (
    "[Web발신] [CJ대한통운] 고객님 택배가 주소지 불명으로 보관중입니다. 주소 확인 바랍니다 http://cj-dlvr.top/kr"
)
KM_JOB = (
    "ជ្រើសរើសបុគ្គលិកបន្ទាន់ ធ្វើការនៅប៉ោយប៉ែត ប្រាក់ខែ 2000 ដុល្លារ មិនត្រូវការបទពិសោធន៍ ក្រុមហ៊ុនចេញថ្លៃធ្វើដំណើរ ទាក់ទងតាមតេឡេក្រាម @boss_kh77"
)
EN_BANK = "ACLEDA Bank: your account has been locked due to suspicious activity. Verify now at https://acleda-verify.online/login"
ORDINARY = [
    "Are we still on for lunch tomorrow at 12?",
    "엄마 오늘 저녁 늦게 들어가요. 먼저 드세요",
    "ថ្ងៃស្អែកខ្ញុំទៅផ្សារជាមួយម្តាយ",
    "Happy new year! Wishing you and your family good health.",
]


@pytest.mark.parametrize("text", [KO_PARCEL, KM_JOB, EN_BANK], ids=["ko-parcel", "km-job", "en-bank"])
def test_small_model_says_scam_with_reasons(small_model, text: str) -> None:
    result = check_text(text, small_model)
    assert result.verdict == "scam", result.to_json()
    assert result.signals, "a scam verdict comes with reasons"


def test_small_model_names_the_scam_type(small_model) -> None:
    assert check_text(KO_PARCEL, small_model).scam_type in {"parcel", "phishing"}
    assert check_text(KM_JOB, small_model).scam_type in {"trafficking", "job_offer"}


@pytest.mark.parametrize("text", ORDINARY)
def test_small_model_says_no_signs_for_ordinary_messages(small_model, text: str) -> None:
    result = check_text(text, small_model)
    assert result.verdict == "no_signs", result.to_json()


def test_links_to_well_known_sites_are_not_scams_but_pages_anyone_can_publish_are_judged(small_model) -> None:
    for link in ("https://youtu.be/dQw4w9WgXcQ", "https://www.facebook.com/groups/123", "https://www.ababank.com"):
        assert check_text(link, small_model).verdict == "no_signs", link
    hosted = check_text("https://sites.google.com/site/aba-verify-account-login/", small_model)
    assert hosted.score > 0.02


def test_batch_check_matches_single_checks(small_model) -> None:
    texts = [KO_PARCEL, ORDINARY[0], KM_JOB]
    batch = [r.verdict for r in check_many(texts, small_model)]
    single = [check_text(t, small_model).verdict for t in texts]
    assert batch == single


def test_saved_model_loads_fast_and_gives_the_same_scores(small_model, tmp_path: Path) -> None:
    path = save_model(small_model, tmp_path / "scam-model-test.skops")
    loaded = load_model(path, embedder=small_model.embedder.inner)
    assert loaded.meta["load_seconds"] < 3.0
    for text in (KO_PARCEL, ORDINARY[1]):
        assert abs(check_text(text, loaded).score - check_text(text, small_model).score) < 1e-6


class Smuggled:
    """Stands for any object a tampered artifact could smuggle in."""

    def __init__(self) -> None:
        self.payload = "anything"


def test_tampered_artifact_with_untrusted_types_is_refused(tmp_path: Path) -> None:
    import skops.io as sio

    path = tmp_path / "scam-model-evil.skops"
    sio.dump({"format": 1, "stage1": Smuggled()}, path)
    with pytest.raises(ValueError, match="untrusted"):
        load_model(path)


def test_default_model_path_picks_the_newest_valid_artifact(small_model, tmp_path: Path) -> None:
    assert default_model_path(tmp_path) is None
    (tmp_path / "scam-model-broken.skops").write_text("not a zip")
    assert default_model_path(tmp_path) is None
    good = save_model(small_model, tmp_path / "scam-model-good.skops")
    assert default_model_path(tmp_path) == good


def test_uncertain_messages_use_the_embedding_stage_and_sure_ones_do_not(small_model) -> None:
    from classifier.features import analyse

    sure = small_model.predict([analyse(ORDINARY[0])])[0]
    assert not sure.used_embedding
    lo, hi = small_model.band
    small_model.meta["band"] = [0.0, 1.0]  # everything "uncertain"
    try:
        out = small_model.predict([analyse(ORDINARY[0])])[0]
        assert out.used_embedding
    finally:
        small_model.meta["band"] = [lo, hi]


@pytest.mark.slow
def test_shipped_model_on_the_done_means_examples() -> None:
    path = default_model_path()
    if path is None:
        pytest.skip("no trained model in var/models; run: scambot classifier train")
    model = load_model(path)
    for text in (KO_PARCEL, KM_JOB, EN_BANK):
        assert check_text(text, model).verdict == "scam", text
    for text in ORDINARY:
        assert check_text(text, model).verdict == "no_signs", text


@pytest.mark.slow
def test_shipped_model_does_not_call_a_short_message_with_a_number_a_scam() -> None:
    # Digits were a plain share of the text: a lone number or a friend's phone number
    # in a short message scored like English premium-rate spam (0.94 for the second).
    path = default_model_path()
    if path is None:
        pytest.skip("no trained model in var/models; run: scambot classifier train")
    model = load_model(path)
    for text in ("123456", "My number is 012 345 678", "Call me on 012 345 678 when you arrive"):
        assert check_text(text, model).verdict != "scam", text


class SlowToLoad:
    """An embedder whose first call pays for loading its weights, as a real one does."""

    def __init__(self, inner, load_seconds: float) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.load_seconds = load_seconds
        self.loaded = False

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not self.loaded:
            time.sleep(self.load_seconds)
            self.loaded = True
        return self.inner.embed(texts)


def test_after_warm_up_the_first_uncertain_message_does_not_wait_for_the_embedder(small_model, tmp_path) -> None:
    from classifier.embeddings import CachedEmbedder
    from classifier.features import analyse

    path = save_model(small_model, tmp_path / "scam-model-warm.skops")
    slow = SlowToLoad(small_model.embedder.inner, load_seconds=2.0)
    model = load_model(path, embedder=slow)
    model.meta["language_bands"] = {"ko": [0.0, 1.0]}  # every Korean message goes to the embeddings
    model.warm_up()
    assert isinstance(model.embedder, CachedEmbedder) and slow.loaded

    started = time.perf_counter()
    result = check_text(KO_PARCEL, model)
    assert time.perf_counter() - started < 1.0
    assert result.verdict == "scam"
    assert model.predict([analyse(KO_PARCEL)])[0].used_embedding


def test_loading_a_model_in_a_new_process_does_not_import_torch(small_model, tmp_path) -> None:
    # skops would import torch (seconds) through scikit-learn's array-API shim; a check
    # from the command line starts a new process every time.
    import subprocess
    import sys

    path = save_model(dataclasses.replace(small_model, stage2=None, embedder=None), tmp_path / "scam-model-t.skops")
    code = (
        "import sys; from classifier import load_model, check_text; "
        f"m = load_model({str(path)!r}); "
        "print(check_text('Install AnyDesk now, this is your bank', m).verdict, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["scam", "False"]
