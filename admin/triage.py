"""Report triage for analysts: the queue, one case, set its status, merge it into a campaign, export."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import NavItem, PageError, Role, Staff, audit, page, render, services
from intake import IntakeService
from intake.triage import (
    CASE_STATUSES,
    OPEN_STATUSES,
    CampaignNotFoundError,
    CaseNotFoundError,
    TriageService,
)

NAV = (NavItem("Reports", "/triage", (Role.ANALYST,)),)

PAGE_SIZE = 50
#: The queue's status filter: a name shown to analysts, and the statuses it selects.
STATUS_FILTERS: dict[str, tuple[str, ...] | None] = {
    "open": OPEN_STATUSES,
    "all": None,
    **{status: (status,) for status in CASE_STATUSES},
}
LANGUAGES = ("km", "ko", "en")
NOTE_MAX_LENGTH = 500


def triage_service(request: Request) -> TriageService:
    """The triage service over the console's database and the intake as the bot configured it."""
    console = services(request)
    intake = getattr(console, "intake", None) or IntakeService(console.db)
    return TriageService(console.db, intake)


def _choice(value: str | None, allowed: tuple[str, ...] | list[str], default: str | None = None) -> str | None:
    """A query value if it is one of ``allowed``; anything else falls back to ``default``."""
    return value if value in allowed else default


def _int(value: str | None, default: int, *, low: int = 0, high: int = 1_000_000) -> int:
    try:
        return max(low, min(high, int(value or default)))
    except ValueError:
        return default


@page(Role.ANALYST)
async def queue(request: Request, staff: Staff) -> Response:
    """The queue: urgent first, then most credible; filters by status, scam type and language."""
    params = request.query_params
    status = _choice(params.get("status"), list(STATUS_FILTERS), "open") or "open"
    catalogue = services(request).catalogue
    scam_types = [key for key, _ in catalogue.scam_types("en")] if catalogue is not None else []
    scam_type = _choice(params.get("type"), scam_types)
    language = _choice(params.get("lang"), LANGUAGES)
    offset = _int(params.get("offset"), 0)
    found = await triage_service(request).queue(
        statuses=STATUS_FILTERS[status], scam_type=scam_type, language=language, limit=PAGE_SIZE, offset=offset
    )
    return render(
        request,
        "triage_queue.html",
        {
            "page": found,
            "status": status,
            "status_filters": list(STATUS_FILTERS),
            "scam_type": scam_type,
            "scam_types": scam_types,
            "language": language,
            "languages": LANGUAGES,
            "page_size": PAGE_SIZE,
        },
    )


async def _case_context(request: Request, number: str) -> dict[str, object]:
    triage = triage_service(request)
    detail = await triage.case(number)
    if detail is None:
        raise PageError(404, f"There is no case {number}.")
    return {
        "detail": detail,
        "case": detail.case,
        "campaign": await triage.campaign(detail.case.campaign_id),
        "campaigns": await triage.campaigns(),
        "statuses": CASE_STATUSES,
    }


@page(Role.ANALYST)
async def case_page(request: Request, staff: Staff) -> Response:
    """One case: facts, evidence, indicators, score reasons, history; set status; merge."""
    number = request.path_params["number"]
    context = await _case_context(request, number)
    context["notice"] = {"status": "Status changed. The reporter will be told.", "merged": "Merged."}.get(
        request.query_params.get("done", "")
    )
    return render(request, "triage_case.html", context)


async def _form_error(request: Request, number: str, message: str) -> Response:
    context = await _case_context(request, number)
    context["error"] = message
    return render(request, "triage_case.html", context, status_code=400)


@page(Role.ANALYST)
async def set_status(request: Request, staff: Staff) -> Response:
    """Sets a case's status (recorded with who did it; the bot tells the reporter)."""
    number = request.path_params["number"]
    form = await request.form()
    status = str(form.get("status", ""))
    note = str(form.get("note", "")).strip()
    if status not in CASE_STATUSES:
        return await _form_error(request, number, "Choose one of the statuses in the list.")
    if len(note) > NOTE_MAX_LENGTH:
        return await _form_error(request, number, f"The note is too long: at most {NOTE_MAX_LENGTH} characters.")
    try:
        await triage_service(request).set_status(number, status, by=staff.username, note=note or None)
    except CaseNotFoundError:
        raise PageError(404, f"There is no case {number}.") from None
    except ValueError as exc:
        return await _form_error(request, number, str(exc).capitalize() + ".")
    await audit(request, "case.status", f"case:{number}", {"to": status, "note": bool(note)})
    return RedirectResponse(f"/triage/{number}?done=status", status_code=303)


@page(Role.ANALYST)
async def merge(request: Request, staff: Staff) -> Response:
    """Moves a case, with the rest of its campaign, into another campaign."""
    number = request.path_params["number"]
    form = await request.form()
    raw = str(form.get("campaign", "")).strip().lstrip("#")
    if not raw.isdigit():
        return await _form_error(request, number, "Give the number of the campaign to merge into.")
    try:
        into = await triage_service(request).merge(number, int(raw))
    except CaseNotFoundError:
        raise PageError(404, f"There is no case {number}.") from None
    except CampaignNotFoundError:
        return await _form_error(request, number, f"There is no campaign #{raw}.")
    except ValueError as exc:
        return await _form_error(request, number, str(exc).capitalize() + ".")
    await audit(request, "case.merge", f"case:{number}", {"campaign": into})
    return RedirectResponse(f"/triage/{number}?done=merged", status_code=303)


@page(Role.ANALYST)
async def export(request: Request, staff: Staff) -> Response:
    """The cases of a status filter as CSV or JSON (no reporter ids, contacts or evidence texts)."""
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise PageError(404, "Exports are CSV or JSON.")
    status = _choice(request.query_params.get("status"), list(STATUS_FILTERS), "open") or "open"
    body = await triage_service(request).export(statuses=STATUS_FILTERS[status], fmt=fmt)
    await audit(request, "cases.export", f"status:{status}", {"format": fmt})
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    headers = {"Content-Disposition": f'attachment; filename="cases-{status}.{fmt}"'}
    return Response(body, media_type=media, headers=headers)


def routes() -> list[Route]:
    """The triage pages."""
    return [
        Route("/triage", queue),
        Route("/triage/export.{fmt:str}", export),
        Route("/triage/{number}", case_page),
        Route("/triage/{number}/status", set_status, methods=["POST"]),
        Route("/triage/{number}/merge", merge, methods=["POST"]),
    ]
