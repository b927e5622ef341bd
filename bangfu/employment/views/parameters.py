"""Employment parameters of an area (county administrators): the values in force today, their
history, and a new set of values from a date. The checks of workshops, welfare posts and the site
KPI read the row in force on the date they check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.domain.codes import LEVEL_LABELS, Level
from bangfu.areas.selectors import refuse_unless
from bangfu.core.views import form_post
from bangfu.employment import inputs as employment_inputs
from bangfu.employment import selectors, services
from bangfu.employment.domain.wages import DAY_COUNT_LABELS
from bangfu.employment.models import EmploymentPolicy
from bangfu.employment.views._forms import translated

# Each parameter's label (Chinese msgid, translated where shown); a test checks every parameter has one.
LABELS = {
    "min_poor_workers": gettext_noop("认定：最少脱贫人口就业人数"),
    "min_insurance_per_worker_month": gettext_noop("认定：意外险（元/人/月）"),
    "upgrade_min_months_running": gettext_noop("升级：最短运营月数"),
    "upgrade_min_long_contract_workers": gettext_noop("升级：最少长期合同脱贫劳动力"),
    "upgrade_min_contract_months": gettext_noop("升级：长期合同最短月数"),
    "upgrade_min_average_annual_pay": gettext_noop("升级：年均工资下限（元）"),
    "upgrade_min_annual_revenue": gettext_noop("升级：年营业收入下限（元）"),
    "welfare_posts_per_household": gettext_noop("公益岗位每户上限（空为不限）"),
    "welfare_max_age": gettext_noop("公益岗位年龄上限"),
    "working_age_min": gettext_noop("劳动年龄下限（就业指标）"),
    "working_age_max": gettext_noop("劳动年龄上限（就业指标）"),
    "probation_day_count": gettext_noop("试用期跨月计薪天数口径"),
    "probation_end_day_included": gettext_noop("试用期届满当日仍按试用期计薪"),
    "note": gettext_noop("依据（如文件名称）"),
}
_OPTIONS: dict[str, list[tuple[str, str]]] = {
    "probation_day_count": list(DAY_COUNT_LABELS.items()),
    "probation_end_day_included": [("", gettext_noop("否（届满前一日为试用期最后一天）")), ("on", gettext_noop("是"))],
}
_MONEY = {"min_insurance_per_worker_month", "upgrade_min_average_annual_pay", "upgrade_min_annual_revenue"}


def _fields() -> list[dict[str, Any]]:
    return [
        {
            "name": f,
            "label": _(LABELS[f]),
            "mode": "decimal" if f in _MONEY else ("" if f == "note" else "numeric"),
            "options": translated(_OPTIONS[f]) if f in _OPTIONS else None,
        }
        for f in services.POLICY_FIELDS
    ]


def _current_values(current: EmploymentPolicy | None) -> dict[str, Any]:
    if current is None:
        return {}
    values = {f: "" if getattr(current, f) is None else str(getattr(current, f)) for f in services.POLICY_FIELDS}
    return values | {"probation_end_day_included": "on" if current.probation_end_day_included else ""}


def _context(request: AuthedHttpRequest, code: str) -> dict[str, Any]:
    user: Any = request.user
    return {
        "o": selectors.policy_overview(user, code, timezone.localdate()),
        "areas": [(a.code, f"{a.name}（{_(LEVEL_LABELS[Level(a.level)])}）") for a in selectors.policy_areas(user)],
        "fields": _fields(),
    }


@login_required
@writes(Cap.CONFIGURE)
def parameters(request: AuthedHttpRequest) -> HttpResponse:
    user: Any = request.user
    code = request.POST.get("area") or request.GET.get("area") or ""
    if not code:
        mine = selectors.policy_areas(user)
        refuse_unless(
            allowed=bool(mine),
            visible=True,  # the page is in the navigation of every officer: say why it is closed
            zh="只有县级管理员可以查看和设置就业帮扶参数",
            en="Only a county administrator views and sets employment parameters",
        )
        code = mine[0].code

    def run(values: dict[str, str]) -> EmploymentPolicy:
        return services.policy_set(actor=user, area_code=code, policy=employment_inputs.policy_input(values))

    return form_post(
        request,
        template="employment/parameters.html",
        context=lambda: _context(request, code),
        fields=[*services.POLICY_FIELDS, "effective_from"],
        initial=_current_values(selectors.policy_overview(user, code, timezone.localdate()).current),
        run=run,
        done=lambda p: _("已保存%(day)s起生效的就业帮扶参数") % {"day": p.effective_from},
        then=lambda _p: redirect(reverse("employment:parameters") + f"?area={code}"),
    )
