"""The content editor: every entry's status in km/ko/en, editing with inline errors, a preview
exactly as the bot renders it, publishing, and version history with diff and rollback.

Publishing writes the content file atomically (the bot's catalogue reloads changed files
within seconds) and records the version and an audit row in the database; see README.md.
"""

from __future__ import annotations

import asyncio
import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.forms import FormField, form_fields, form_values, parse_form
from admin.pages import NavItem, PageError, Role, Staff, page, render, services
from content.catalogue import PublicContact
from content.editing import (
    WHOLE_FILE_KEY,
    ContentKind,
    as_yaml,
    check_with_entry,
    content_kinds,
    entry_keys,
    entry_status,
    kind_named,
    plain,
    read_entry,
    read_file,
    validate_entry,
    write_entry,
)
from content.loader import Problem
from content.render import AFTER_ARTICLE_BUTTONS, article_text, button_labels, contact_line, scam_type_text
from content.schema import LANGUAGES, Article, Contact, ContactText, ScamType

NAV = (NavItem("Content", "/content", (Role.EDITOR, Role.ANALYST)),)

VIEWERS = (Role.EDITOR, Role.ANALYST)
"""Who may read the editor's pages; only editors (and admins) may change content."""

NEUTRAL = "all"
"""The language segment of language-neutral entries (contact facts) in URLs."""
WHOLE = "_"
"""The key segment of whole-file entries (job_check.yml) in URLs."""

_publish_lock = asyncio.Lock()
"""One publish at a time in this process: two editors must not interleave file writes."""


@dataclass(frozen=True)
class Preview:
    """What the bot would send: Telegram HTML and the rows of button labels."""

    html: str
    buttons: list[list[tuple[str, str]]]
    note: str = ""


def _url(kind: ContentKind, key: str, lang: str | None) -> str:
    return f"/content/{kind.name}/{key or WHOLE}/{lang or NEUTRAL}"


def _target(request: Request) -> tuple[ContentKind, str, str | None]:
    """The kind, key and language named in the URL; 404 for anything unknown."""
    kind = kind_named(request.path_params["kind"])
    if kind is None:
        raise PageError(404, "There is no such kind of content.")
    key = request.path_params["key"]
    key = WHOLE_FILE_KEY if key == WHOLE and kind.whole_file else key
    lang_segment = request.path_params["lang"]
    if kind.per_language:
        if lang_segment not in LANGUAGES:
            raise PageError(404, f"Unknown language {lang_segment!r}: use km, ko or en.")
        lang: str | None = lang_segment
    elif lang_segment == NEUTRAL:
        lang = None
    else:
        raise PageError(404, "These entries are the same in every language.")
    if not kind.whole_file and key not in entry_keys(services(request).content_dir, kind):
        raise PageError(404, f"There is no entry {key!r} in {kind.title.lower()}.")
    return kind, key, lang


# ------------------------------------------------------------------ overview


@page(*VIEWERS)
async def overview(request: Request, staff: Staff) -> Response:
    """Every entry of every kind, with its status in km, ko and en side by side."""
    svc = services(request)
    root = svc.content_dir
    edits = await svc.versions.last_published()
    sections = []
    for kind in content_kinds():
        langs: tuple[str | None, ...] = LANGUAGES if kind.per_language else (None,)
        files = {lang: read_file(root, kind.rel(lang)) for lang in langs}
        rows = []
        for key in entry_keys(root, kind):
            present: dict[str, bool] = {}
            valid: dict[str, bool] = {}
            last: dict[str, Any] = {}
            for lang in langs:
                data = files[lang] if kind.whole_file else (files[lang] or {}).get(key)
                code = lang or "en"
                present[code] = data is not None
                valid[code] = data is not None and validate_entry(kind, data)[0] is not None
                if (at := edits.get((kind.rel(lang), key))) is not None:
                    last[code] = at
            if kind.per_language:
                status = entry_status(kind, key, present, valid, last)
                cells = [(lang, status[lang], _url(kind, key, lang)) for lang in LANGUAGES]
            else:
                state = "ok" if valid["en"] else "invalid"
                cells = [(NEUTRAL, state, _url(kind, key, None))]
            rows.append({"key": key or kind.file, "title": _title(files, key, kind), "cells": cells})
        sections.append({"kind": kind, "rows": rows})
    return render(request, "content_list.html", {"sections": sections, "languages": LANGUAGES})


def _title(files: dict[str | None, Any], key: str, kind: ContentKind) -> str:
    """A readable name for an entry: its English title or name, when it has one."""
    english = files.get("en") if kind.per_language else files.get(None)
    entry = english if kind.whole_file else (english or {}).get(key)
    if isinstance(entry, dict):
        for field in ("title", "name", "question"):
            if isinstance(entry.get(field), str):
                return str(entry[field])
    return ""


# ------------------------------------------------------------------ editor


@page(*VIEWERS)
async def editor(request: Request, staff: Staff) -> Response:
    """One entry in one language: the form, the preview of what is live, English beside it."""
    kind, key, lang = _target(request)
    current = read_entry(services(request).content_dir, kind, lang, key)
    notice = "Published. The bot shows it within a few seconds." if request.query_params.get("published") else ""
    return _editor_page(request, staff, kind, key, lang, current, notice=notice)


@page(Role.EDITOR)
async def submit(request: Request, staff: Staff) -> Response:
    """Preview or publish an edited entry; problems are shown next to their fields."""
    kind, key, lang = _target(request)
    form = await request.form()
    data, unreadable = parse_form(_form_fields(kind), form)
    if not kind.per_language:
        _verification(data, read_entry(services(request).content_dir, kind, lang, key), form, staff, request)
    model, problems = validate_entry(kind, data)
    problems += [Problem("", name, message) for name, message in unreadable.items()]
    if model is not None and isinstance(model, Contact):
        problems += _contact_rules(model)
    action = form.get("action")
    if problems or model is None:
        return _editor_page(request, staff, kind, key, lang, data, problems=problems, status_code=422)
    if action != "publish":
        return _editor_page(request, staff, kind, key, lang, data, draft=model)
    result = await _publish(request, staff, kind, key, lang, plain(model), action="publish")
    if isinstance(result, list):
        return _editor_page(request, staff, kind, key, lang, data, problems=result, status_code=422)
    return RedirectResponse(_url(kind, key, lang) + "?published=1", status_code=303)


VERIFICATION_FIELDS = ("verified_on", "verified_by")
"""Set only by ticking "I verified this contact today", never typed in."""
REACH_FIELDS = ("phone", "url", "telegram")
"""Changing how a contact is reached voids its earlier verification."""


def _form_fields(kind: ContentKind) -> list[FormField]:
    fields = form_fields(kind.model)
    return fields if kind.per_language else [f for f in fields if f.name not in VERIFICATION_FIELDS]


def _verification(data: dict[str, Any], current: Any, form: Any, staff: Staff, request: Request) -> None:
    """Fills verified_on/verified_by: today and this editor when ticked, else kept while the numbers stay."""
    if form.get("verified_now"):
        data["verified_on"] = services(request).clock().date().isoformat()
        data["verified_by"] = staff.username
        return
    old = current if isinstance(current, dict) else {}
    same_reach = all(str(old.get(f) or "") == str(data.get(f) or "") for f in REACH_FIELDS)
    for name in VERIFICATION_FIELDS:
        data[name] = old.get(name) if same_reach else None
        if isinstance(data[name], date):
            data[name] = data[name].isoformat()


def _contact_rules(contact: Contact) -> list[Problem]:
    """The console's rule: a contact is confirmed (shown to the public) only once someone verified it."""
    if contact.status == "confirmed" and (contact.verified_on is None or contact.verified_by is None):
        return [
            Problem(
                "",
                "status",
                "a confirmed contact must be verified: check it on the live official page, "
                "then tick 'I verified this contact today'",
            )
        ]
    return []


async def _publish(
    request: Request, staff: Staff, kind: ContentKind, key: str, lang: str | None, data: Any, *, action: str
) -> list[Problem] | None:
    """Writes the entry if the whole content stays valid; returns the blocking problems otherwise."""
    svc = services(request)
    root = svc.content_dir
    async with _publish_lock:
        new = await asyncio.to_thread(check_with_entry, root, kind, lang, key, data)
        errors = [p for p in new if p.level == "error"]
        if errors:
            return errors
        path = root / kind.rel(lang)
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        before = read_entry(root, kind, lang, key)
        baseline_model, _ = validate_entry(kind, before) if before is not None else (None, [])
        await asyncio.to_thread(write_entry, root, kind, lang, key, data)
        try:
            await svc.versions.publish(
                kind.rel(lang),
                key,
                data,
                actor=staff.username,
                action=action,
                baseline=plain(baseline_model) if baseline_model is not None else None,
            )
        except Exception:
            # No version row and no audit row: put the file back as it was.
            if old_text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(old_text, encoding="utf-8")
            raise
    if svc.catalogue is not None:
        svc.catalogue.refresh(force=True)
    return None


def _editor_page(
    request: Request,
    staff: Staff,
    kind: ContentKind,
    key: str,
    lang: str | None,
    data: Any,
    *,
    problems: list[Problem] | None = None,
    draft: Any = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    fields = _form_fields(kind)
    values = form_values(fields, data)
    problems = problems or []
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    names = {f.name for f in fields}
    for problem in problems:
        head = problem.key.split(".", 1)[0]
        if head in names:
            detail = problem.key[len(head) + 1 :]
            by_field.setdefault(head, []).append(f"{detail}: {problem.message}" if detail else problem.message)
        else:
            general.append(str(problem) if problem.file else problem.message)
    svc = services(request)
    live_model, _ = validate_entry(kind, read_entry(svc.content_dir, kind, lang, key))
    shown = draft if draft is not None else live_model
    english = None
    if kind.per_language and lang != "en":
        english_model, _ = validate_entry(kind, read_entry(svc.content_dir, kind, "en", key))
        english = _preview(request, kind, key, "en", english_model) if english_model else None
    context = {
        "kind": kind,
        "key": key,
        "lang": lang or NEUTRAL,
        "url": _url(kind, key, lang),
        "fields": fields,
        "values": values,
        "field_errors": by_field,
        "general_errors": general,
        "preview": _preview(request, kind, key, lang or "en", shown) if shown is not None else None,
        "is_draft": draft is not None,
        "english": english,
        "notice": notice,
        "can_publish": staff.may((Role.EDITOR,)),
        "languages": LANGUAGES if kind.per_language else (),
        "neutral": not kind.per_language,
        "verification": {f: (data or {}).get(f) for f in VERIFICATION_FIELDS} if not kind.per_language else None,
    }
    return render(request, "content_edit.html", context, status_code=status_code)


def _preview(request: Request, kind: ContentKind, key: str, lang: str, model: Any) -> Preview:
    """The entry as the bot shows it in ``lang``: the same text builders and buttons as the handlers."""
    svc = services(request)
    t = svc.t
    if isinstance(model, ScamType):
        return Preview(scam_type_text(t, lang, model), button_labels(t, lang, AFTER_ARTICLE_BUTTONS))
    if isinstance(model, Article):
        return Preview(article_text(model), button_labels(t, lang, AFTER_ARTICLE_BUTTONS))
    catalogue = svc.catalogue
    facts = catalogue.all_contacts().get(key) if catalogue else None
    if isinstance(model, ContactText) and facts is not None:
        return _contact_preview(t, lang, key, model, facts)
    if isinstance(model, Contact) and catalogue is not None:
        try:
            text = catalogue.contact_text(lang, key)
        except KeyError:
            text = ContactText(name=key, description="(no name or description yet)")
        return _contact_preview(t, lang, key, text, model)
    return Preview(
        "",
        [],
        note="This text is shown inside the bot's other messages (check card, job check, quiz); "
        "its fields are listed as they will be used:\n\n" + as_yaml(plain(model)),
    )


def _contact_preview(t: Any, lang: str, key: str, text: ContactText, facts: Contact) -> Preview:
    public = facts.status == "confirmed" and facts.source_date is not None
    contact = PublicContact.of(key, text, facts, source_date=facts.source_date or date.min)
    note = "" if public else "Not shown to the public: this contact is not confirmed (status: to_verify)."
    return Preview(contact_line(t, lang, contact), [], note=note)


# ------------------------------------------------------------------ history


@page(*VIEWERS)
async def history(request: Request, staff: Staff) -> Response:
    """Every published version, newest first, each with its changes against the one before."""
    kind, key, lang = _target(request)
    versions = await services(request).versions.history(kind.rel(lang), key)
    rows = []
    for i, version in enumerate(versions):
        older = versions[i + 1].data if i + 1 < len(versions) else None
        diff = difflib.unified_diff(
            as_yaml(older).splitlines(), as_yaml(version.data).splitlines(), "before", "after", lineterm="", n=2
        )
        rows.append({"version": version, "diff": list(diff)[2:], "latest": i == 0})
    context = {
        "kind": kind,
        "key": key,
        "lang": lang or NEUTRAL,
        "url": _url(kind, key, lang),
        "rows": rows,
        "can_publish": staff.may((Role.EDITOR,)),
    }
    return render(request, "content_history.html", context)


@page(Role.EDITOR)
async def rollback(request: Request, staff: Staff) -> Response:
    """Publishes an earlier version again (checked like any edit)."""
    kind, key, lang = _target(request)
    try:
        version_id = int(request.path_params["version"])
    except ValueError:
        raise PageError(404, "There is no such version.") from None
    version = await services(request).versions.get(version_id)
    if version is None or version.file != kind.rel(lang) or version.key != key:
        raise PageError(404, "There is no such version of this entry.")
    model, problems = validate_entry(kind, version.data)
    if model is None:
        return _editor_page(request, staff, kind, key, lang, version.data, problems=problems, status_code=422)
    result = await _publish(request, staff, kind, key, lang, plain(model), action="rollback")
    if isinstance(result, list):
        return _editor_page(request, staff, kind, key, lang, version.data, problems=result, status_code=422)
    return RedirectResponse(_url(kind, key, lang) + "?published=1", status_code=303)


def routes() -> list[Route]:
    """The content editor's pages."""
    base = "/content/{kind}/{key}/{lang}"
    return [
        Route("/content", overview, methods=["GET"]),
        Route(base, editor, methods=["GET"]),
        Route(base, submit, methods=["POST"]),
        Route(base + "/history", history, methods=["GET"]),
        Route(base + "/rollback/{version}", rollback, methods=["POST"]),
    ]
