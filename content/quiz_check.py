"""The staff check's rules for quizzes (``scambot content check`` runs them).

English is the reference: every language has the same quizzes, questions and options, the
correct option in the same place, the same scam type and alert; and every scam type has a
quiz in English.
"""

from __future__ import annotations

from collections.abc import Sequence

from content.loader import ContentTree, Problem
from content.quiz import QUIZ_KEY, QUIZZES_FILE, Quiz
from content.schema import FALLBACK_LANGUAGE, SCAM_TYPE_KEYS


def quiz_problems(tree: ContentTree, langs: Sequence[str]) -> list[Problem]:
    """The staff check's quiz rules: ids, the same quizzes and shape everywhere, a quiz per scam type.

    English is the reference: a quiz, question or option it lacks is "extra" elsewhere.
    """
    problems: list[Problem] = []
    reference_rel = f"{FALLBACK_LANGUAGE}/{QUIZZES_FILE}"
    reference = tree.languages[FALLBACK_LANGUAGE].quizzes if FALLBACK_LANGUAGE in tree.languages else {}
    wanted = tree.keys.get(reference_rel)
    for lang in langs:
        rel = f"{lang}/{QUIZZES_FILE}"
        keys = tree.keys.get(rel)
        if keys is None:
            continue  # missing or unreadable file: reported already
        for key in keys:
            if "." not in key and not QUIZ_KEY.match(key):
                message = "a quiz id uses a-z, 0-9 and _, starts with a letter, and has at most 40 characters"
                problems.append(Problem(rel, key, message))
        if wanted is not None and lang != FALLBACK_LANGUAGE:
            problems.extend(_key_differences(rel, keys, wanted, tree, langs))
            for key, quiz in tree.languages[lang].quizzes.items():
                if key in reference and (difference := _shape_difference(quiz, reference[key])):
                    problems.append(Problem(rel, key, difference))
    # An English quiz that fails validation may be the one covering a scam type: say nothing then.
    if wanted is not None and all(key in reference for key in wanted if "." not in key):
        covered = {quiz.scam_type for quiz in reference.values()}
        for scam_type in SCAM_TYPE_KEYS:
            if scam_type not in covered:
                problems.append(Problem(reference_rel, "", f"no quiz for the scam type {scam_type!r}"))
    return problems


def _key_differences(
    rel: str, keys: tuple[str, ...], wanted: tuple[str, ...], tree: ContentTree, langs: Sequence[str]
) -> list[Problem]:
    problems: list[Problem] = []
    missing = [key for key in wanted if key not in keys]
    for key in _outermost(missing):
        has = [other for other in langs if key in tree.keys.get(f"{other}/{QUIZZES_FILE}", ())]
        problems.append(Problem(rel, key, f"missing (present in {', '.join(has)})"))
    extra = [key for key in keys if key not in wanted]
    for key in _outermost(extra):
        problems.append(Problem(rel, key, f"extra: not in {FALLBACK_LANGUAGE}/{QUIZZES_FILE}"))
    return problems


def _outermost(keys: list[str]) -> list[str]:
    listed = set(keys)
    return [key for key in keys if not any(key[:i] in listed for i, ch in enumerate(key) if ch == ".")]


def _shape_difference(quiz: Quiz, reference: Quiz) -> str | None:
    """What differs from English beyond the counts of questions and options (those are
    reported as missing or extra keys), or None."""
    if quiz.scam_type != reference.scam_type:
        return f"scam_type is {quiz.scam_type!r} here but {reference.scam_type!r} in {FALLBACK_LANGUAGE}"
    if quiz.alert != reference.alert:
        return f"alert differs from {FALLBACK_LANGUAGE}: give it the same topic and date"
    for number, (mine, theirs) in enumerate(zip(quiz.questions, reference.questions, strict=False), start=1):
        if mine.answer != theirs.answer:
            return (
                f"question {number}: the correct option is number {mine.answer + 1} here "
                f"but number {theirs.answer + 1} in {FALLBACK_LANGUAGE}"
            )
    return None
