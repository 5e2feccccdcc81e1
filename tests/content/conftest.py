"""Small, valid content trees written to a temporary folder, and helpers to break them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.schema import (
    ARTICLE_KEYS,
    JOB_FLAG_IDS,
    JOB_QUESTIONS,
    LANGUAGES,
    RISK_LEVELS,
    SCAM_TYPE_KEYS,
    SIGNAL_IDS,
    VERDICT_KEYS,
)


def scam_type(lang: str, key: str) -> dict[str, Any]:
    return {
        "title": f"{key} title {lang}",
        "summary": f"{key} summary {lang}.",
        "how_it_works": "They write first. Then they ask for money.",
        "warning_signs": ["Rushes you.", "Asks for money.", "Asks for codes.", "Wants secrecy."],
        "example": "You won! Pay the fee at bit.ly/xxxx",
        "what_to_do": ["Stop.", "Keep evidence.", "Report it."],
    }


def article(lang: str, key: str) -> dict[str, Any]:
    # The job-check advice names the legal routes article by this title.
    title = f"article_title {lang}" if key == "legal_work_routes" else f"{key} title {lang}"
    return {"title": title, "body": f"{key} body {lang}.", "steps": []}


def signal(lang: str, key: str) -> dict[str, Any]:
    return {"title": f"{key} title {lang}", "explanation": f"Why {key} is a warning sign ({lang})."}


def verdict(lang: str, key: str) -> dict[str, Any]:
    return {"title": f"{key} title {lang}", "advice": [f"Stop ({lang}).", f"Check ({lang})."]}


def job_check(lang: str) -> dict[str, Any]:
    """Labels say their language and id, e.g. "korea label km"."""
    return {
        "intro": f"Intro {lang}.",
        "paste_offer": f"Paste the offer or tap skip {lang}.",
        "skip": f"skip {lang}",
        "questions": {
            q: {"question": f"{q} question {lang}?", "options": {o: f"{o} label {lang}" for o in options}}
            for q, options in JOB_QUESTIONS.items()
        },
        "flags": {f: f"{f} flag {lang}." for f in JOB_FLAG_IDS},
        "risk": {
            r: {"title": f"{r} risk {lang}", "advice": [f"Don't pay ({lang}).", f"See article_title {lang}."]}
            for r in RISK_LEVELS
        },
    }


def quiz(lang: str, scam_type: str) -> dict[str, Any]:
    """Three questions; the correct option is the second, then the first, then the third."""
    return {
        "title": f"{scam_type} quiz {lang}",
        "scam_type": scam_type,
        "questions": [
            {
                "question": f"Question {number} about {scam_type} ({lang})?",
                "options": [
                    {"text": f"Option {i} ({lang})", **({"correct": True} if i == answer else {})} for i in range(3)
                ],
                "explanation": f"Why {number} ({lang}).",
            }
            for number, answer in enumerate((1, 0, 2))
        ],
    }


def contacts() -> dict[str, Any]:
    base = {
        "url": None,
        "telegram": None,
        "hours": "24/7",
        "source": "test source 2025-10-28",
        "source_date": "2025-10-28",
        "confidence": "official",
        "verified_on": None,
        "verified_by": None,
    }
    return {
        "kh_police": {
            **base,
            "phone": "117",
            "country": "KH",
            "for_korean_nationals": False,
            "topics": ["urgent", "police"],
            "status": "confirmed",
        },
        "kh_telegram": {
            **base,
            "phone": None,
            "telegram": "+855-979-117-117",
            "country": "KH",
            "for_korean_nationals": False,
            "topics": ["urgent"],
            "status": "confirmed",
        },
        "kr_consular": {
            **base,
            "phone": "+82-2-3210-0404",
            "country": "KR",
            "for_korean_nationals": True,
            "topics": ["urgent", "consular"],
            "status": "confirmed",
        },
        "kr_fss": {
            **base,
            "phone": "1332",
            "country": "KR",
            "for_korean_nationals": False,
            "topics": ["bank", "fraud_report"],
            "status": "confirmed",
        },
        "kh_hotline_unchecked": {
            **base,
            "phone": "+855-15-365-222",
            "country": "KH",
            "for_korean_nationals": False,
            "topics": ["urgent", "bank"],
            "status": "to_verify",
            "confidence": "news",
            "source_date": None,
        },
    }


def write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build_tree(root: Path) -> Path:
    facts = contacts()
    write_yaml(root / "contacts.yml", facts)
    for lang in LANGUAGES:
        write_yaml(root / lang / "scam_types.yml", {k: scam_type(lang, k) for k in SCAM_TYPE_KEYS})
        write_yaml(root / lang / "articles.yml", {k: article(lang, k) for k in ARTICLE_KEYS})
        write_yaml(
            root / lang / "contacts.yml",
            {cid: {"name": f"{cid} {lang}", "description": f"About {cid} ({lang})."} for cid in facts},
        )
        write_yaml(root / lang / "signals.yml", {k: signal(lang, k) for k in SIGNAL_IDS})
        write_yaml(root / lang / "verdicts.yml", {k: verdict(lang, k) for k in VERDICT_KEYS})
        write_yaml(root / lang / "job_check.yml", job_check(lang))
        write_yaml(root / lang / "quizzes.yml", {k: quiz(lang, k) for k in SCAM_TYPE_KEYS})
    return root


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """A complete, valid content tree with 5 contacts (one of them to_verify), and every
    signal, verdict and job-check id, and a quiz per scam type, in every language."""
    return build_tree(tmp_path / "content")


Edit = Callable[[Path, str, Callable[[Any], None]], None]


@pytest.fixture
def edit() -> Edit:
    """edit(root, "km/articles.yml", change) loads the file, applies change(data), saves it."""

    def apply(root: Path, rel: str, change: Callable[[Any], None]) -> None:
        data = read_yaml(root / rel)
        change(data)
        write_yaml(root / rel, data)

    return apply


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
