"""What every employment form view does the same way (the rest is `core.views.form_post`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bangfu.core import inputs
from bangfu.core.errors import NotFound, invalid
from bangfu.core.i18n import in_language
from bangfu.core.views import form_post
from bangfu.employment import access, selectors
from bangfu.employment.domain import endings
from bangfu.employment.models import Contract


def officers_only(user: Any) -> None:
    """Posts and collective assets are the officers' business; an enterprise user has nothing here."""
    if access.is_operator_user(user):
        raise NotFound()


def ending_form(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    end: Callable[..., Any],
    done: str,
    then: str,
    **then_kwargs: Any,
) -> HttpResponse:
    """The page ending a contract or a welfare post: end date (today by default), coded reason, note.

    `end(end=<date>, reason=<code>, note=<text>)` is the service; its problems are shown next to the fields.
    """
    return form_post(
        request,
        template=template,
        context=context,
        fields=["end", "reason", "note"],
        initial={"end": timezone.localdate().isoformat()},
        run=lambda v: end(end=inputs.date(v["end"], "end", future=True), reason=v["reason"], note=v["note"]),
        done=done,
        then=lambda _: redirect(then, **then_kwargs),
    )


def translated(options: Iterable[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """(value, label) choices whose Chinese labels were marked with gettext_noop, in the reader's language."""
    return [(value, _(label)) for value, label in options]


def reason_choices(reasons: Iterable[endings.Reason]) -> list[tuple[str, str]]:
    """A coded list of reasons for a select, in the reader's language (each reason carries both)."""
    return [(r.code, capfirst(in_language(r.zh, r.en))) for r in reasons]


def worker_label(c: Contract) -> str:
    """How the search box offers a worker: the name and the masked ID, so namesakes differ."""
    return f"{c.member.name} {c.member.masked}"


def worker_picked(user: Any, pk: int, typed: str) -> int:
    """The worker typed in the search box: a label it offered, or a name only one worker has."""
    workers = [c for c in selectors.workers_of(user, pk) if c.end is None]
    found = [c for c in workers if worker_label(c) == typed] or [c for c in workers if c.member.name == typed]
    if len(found) == 1:
        return found[0].member_id
    if not typed:
        raise invalid("worker", "请输入职工姓名，并从列表中选择", "Type the worker's name and pick them from the list")
    if found:
        raise invalid(
            "worker",
            f"有{len(found)}位职工叫{typed}，请从列表中选择带身份证号的一项",
            f"{len(found)} workers are called {typed}; pick the one with the right ID number from the list",
        )
    raise invalid("worker", f"本车间在岗职工中没有“{typed}”", f"No current worker of this workshop is called {typed}")
