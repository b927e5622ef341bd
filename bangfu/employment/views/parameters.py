"""Employment parameters of an area (county administrators): the values in force today, their
history, and a new set of values from a date. The checks of workshops, welfare posts and the site
KPI read the row in force on the date they check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.domain.codes import LEVEL_LABELS, Level
from bangfu.core.errors import ApplicationError, Forbidden
from bangfu.core.views import failed, post_dict
from bangfu.employment import selectors, services
from bangfu.employment.domain.wages import DAY_COUNT_LABELS
from bangfu.employment.models import EmploymentPolicy

# English beside the model's Chinese label; a test checks every parameter has one.
EN_LABELS = {
    "min_poor_workers": "Recognition: poverty-exited workers, at least",
    "min_insurance_per_worker_month": "Recognition: accident insurance, yuan per worker and month",
    "upgrade_min_months_running": "Upgrade: months running, at least",
    "upgrade_min_long_contract_workers": "Upgrade: poverty-exited workers on long contracts",
    "upgrade_min_contract_months": "Upgrade: a long contract runs, months",
    "upgrade_min_average_annual_pay": "Upgrade: average annual pay, yuan",
    "upgrade_min_annual_revenue": "Upgrade: annual revenue, yuan",
    "welfare_posts_per_household": "Welfare posts per household (empty: no limit)",
    "welfare_max_age": "Welfare posts: oldest age at appointment",
    "working_age_min": "Working age from (KPI)",
    "working_age_max": "Working age to (KPI)",
    "probation_day_count": "A month in which probation ends is split by: calendar days, or working days / 21.75",
    "probation_end_day_included": "The day probation expires is still paid at the probation rate",
    "note": "Basis, e.g. the document",
}
_OPTIONS = {
    "probation_day_count": list(DAY_COUNT_LABELS.items()),
    "probation_end_day_included": [("", "否（届满前一日为试用期最后一天）"), ("on", "是")],
}
_MONEY = {"min_insurance_per_worker_month", "upgrade_min_average_annual_pay", "upgrade_min_annual_revenue"}


def _fields(values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    labels = {f.name: f.verbose_name for f in EmploymentPolicy._meta.fields}  # the model's Chinese names
    return [
        {
            "name": f,
            "zh": labels[f],
            "en": EN_LABELS[f],
            "value": values.get(f),
            "errs": errors.get(f),
            "mode": "decimal" if f in _MONEY else ("" if f == "note" else "numeric"),
            "options": _OPTIONS.get(f),
        }
        for f in services.POLICY_FIELDS
    ]


def _current_values(current: EmploymentPolicy | None) -> dict[str, Any]:
    if current is None:
        return {}
    values = {f: "" if getattr(current, f) is None else str(getattr(current, f)) for f in services.POLICY_FIELDS}
    return values | {"probation_end_day_included": "on" if current.probation_end_day_included else ""}


def _page(request: AuthedHttpRequest, code: str, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    overview = selectors.policy_overview(user, code, today)
    values = extra.pop("values", None) or _current_values(overview.current)
    context = {
        "o": overview,
        "areas": [(a.code, f"{a.name}（{LEVEL_LABELS[Level(a.level)]}）") for a in selectors.policy_areas(user)],
        "fields": _fields(values, extra.get("errors", {})),
        "values": values,
    }
    return render(request, "employment/parameters.html", context | extra, status=status)


@login_required
@writes(Cap.CONFIGURE)
def parameters(request: AuthedHttpRequest) -> HttpResponse:
    user: Any = request.user
    code = request.POST.get("area") or request.GET.get("area") or ""
    if not code:
        mine = selectors.policy_areas(user)
        if not mine:
            raise Forbidden(
                "只有县级管理员可以查看和设置就业帮扶参数",
                "Only a county administrator views and sets employment parameters",
            )
        code = mine[0].code
    if request.method != "POST":
        return _page(request, code, {})
    values = post_dict(request, [*services.POLICY_FIELDS, "effective_from"])
    start = values.pop("effective_from")
    try:
        p = services.policy_set(actor=user, area_code=code, effective_from=start, values=values)
    except ApplicationError as exc:
        return _page(request, code, failed(exc, values=values | {"effective_from": start}), exc.status)
    messages.success(request, f"已保存{p.effective_from}起生效的就业帮扶参数 Parameters saved")
    return redirect(reverse("employment:parameters") + f"?area={code}")
