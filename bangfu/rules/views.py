"""Rule editor pages: versions per area, a draft's parameters and rules, preview by township, publish."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.areas.selectors import scope_for
from bangfu.core.errors import ApplicationError, FieldProblem, NotFound, ValidationFailed
from bangfu.core.i18n import in_language
from bangfu.core.views import field_errors, form_post, reraise_access
from bangfu.rules import selectors, services
from bangfu.rules.domain.defaults import PARAM_LABELS
from bangfu.rules.domain.facts import FACTS
from bangfu.rules.domain.rules import OPS, WINDOWS
from bangfu.rules.models import RuleSet


@login_required
@writes(Cap.CONFIGURE)
def ruleset_list(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _new_draft(request)
    return render(request, "rules/ruleset_list.html", _list_context(request))


def _list_context(request: AuthedHttpRequest) -> dict[str, Any]:
    from bangfu.areas.domain.codes import Level
    from bangfu.areas.selectors import areas_visible

    user = request.user
    scope = scope_for(user, Cap.CONFIGURE)
    line_areas = [
        a
        for level in (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY)
        for a in areas_visible(user, level=level, cap=Cap.CONFIGURE)
        if scope.everything or any(a.code.startswith(p) for p in scope.prefixes)
    ]
    return {
        "sets": selectors.rulesets_visible(user).order_by("area_id", "-version"),
        "lines": selectors.lines_visible(user).select_related("area"),
        "may_configure": bool(scope.prefixes) or scope.everything,
        "line_areas": line_areas,
        "line_area_options": [(a.code, f"{a.name} {a.code}") for a in line_areas],
        "line_values": {"year": timezone.localdate().year},
        "errors": {},
    }


@login_required
@writes(Cap.CONFIGURE)
def line_set(request: AuthedHttpRequest) -> HttpResponse:
    """监测线: the per-capita income line of an area for a year (a county row overrides the province's)."""
    if request.method != "POST":
        return redirect("rules:ruleset_list")

    def run(v: dict[str, str]) -> object:
        v["area"] = v["area"] or next((a.code for a in _list_context(request)["line_areas"]), "")
        return services.monitoring_line_set(
            actor=request.user,
            area_code=v["area"],
            year=int(v["year"]) if v["year"].isdigit() else 0,
            amount=v["amount"],
            note=v["note"],
        )

    typed = {k: request.POST.get(k, "").strip() for k in ("year", "amount")}
    return form_post(
        request,
        template="rules/ruleset_list.html",
        context=lambda: _list_context(request),
        fields=("area", "year", "amount", "note"),
        run=run,
        done=_("已设定%(year)s年监测线：%(amount)s元") % typed,
        then="rules:ruleset_list",
        keep_as="line_values",
    )


def _new_draft(request: AuthedHttpRequest) -> HttpResponse:
    rs = services.ruleset_start_draft(actor=request.user, note=request.POST.get("note", ""))
    return redirect("rules:ruleset_detail", pk=rs.pk)


def _rules_from_post(request: HttpRequest) -> list[dict[str, Any]]:
    out, problems = [], []
    for i in range(int(request.POST.get("rule_count", "0") or 0) + 1):
        code = request.POST.get(f"rule_code_{i}", "").strip()
        if not code or request.POST.get(f"rule_drop_{i}"):
            continue
        try:
            when = json.loads(request.POST.get(f"rule_when_{i}", ""))
        except json.JSONDecodeError:
            problems.append(
                FieldProblem(
                    f"rule_when_{i}",
                    f"规则“{code}”的条件不是有效的 JSON",
                    f"the condition of rule {code!r} is not valid JSON",
                )
            )
            continue
        out.append(
            {
                "code": code,
                "zh": request.POST.get(f"rule_zh_{i}", code),
                "risk": request.POST.get(f"rule_risk_{i}", "其他"),
                "en": request.POST.get(f"rule_en_{i}", ""),
                "when": when,
            }
        )
    if problems:
        raise ValidationFailed(problems)
    return out


@login_required
@writes(Cap.CONFIGURE)
def ruleset_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    rs = selectors.ruleset_get(request.user, pk)
    editable = rs.status == RuleSet.DRAFT and selectors.may_edit(request.user, rs)
    errors: dict[str, list[str]] = {}
    preview = None
    if request.method == "POST":
        if not editable:
            raise NotFound()
        try:
            action = request.POST.get("action", "save")
            if action == "delete":
                services.ruleset_delete_draft(actor=request.user, ruleset=rs)
                return redirect("rules:ruleset_list")
            if action == "publish":
                when = dt.date.fromisoformat(request.POST.get("effective_from") or timezone.localdate().isoformat())
                services.ruleset_publish(actor=request.user, ruleset=rs, effective_from=when)
                messages.success(request, _("已发布第%(version)s版") % {"version": rs.version})
                return redirect("rules:ruleset_detail", pk=pk)
            params = {k[7:]: v for k, v in request.POST.items() if k.startswith("param__")}
            services.ruleset_update_draft(
                actor=request.user,
                ruleset=rs,
                window=request.POST.get("window", ""),
                params=params,
                rules=_rules_from_post(request),
                note=request.POST.get("note", ""),
            )
            rs = selectors.ruleset_get(request.user, pk)
            if action == "preview":
                preview = selectors.ruleset_preview(actor=request.user, ruleset=rs, as_of=timezone.localdate())
            else:
                messages.success(request, _("草稿已保存"))
                return redirect("rules:ruleset_detail", pk=pk)
        except (ApplicationError, ValueError) as exc:
            if isinstance(exc, ApplicationError):
                reraise_access(exc)
            err = (
                exc
                if isinstance(exc, ApplicationError)
                else ApplicationError(zh="生效日期格式应为 2024-01-01", en="the start date must look like 2024-01-01")
            )
            errors = field_errors(err)
    return render(
        request,
        "rules/ruleset_detail.html",
        {
            "rs": rs,
            "editable": editable,
            "errors": errors,
            "preview": preview,
            "windows": [(k, _(v)) for k, v in WINDOWS.items()],
            "window_label": _(WINDOWS.get(rs.window, WINDOWS["rolling_12m"])),
            "params": [(k, _(PARAM_LABELS[k]) if k in PARAM_LABELS else k, v) for k, v in sorted(rs.params.items())],
            "rules": [
                (i, r, json.dumps(r.when, ensure_ascii=False), _described(r.when, rs.params))
                for i, r in enumerate(rs.rules.all())
            ],
            "rule_count": rs.rules.count(),
            "facts": FACTS.values(),
            "ops": [(k, _(v)) for k, v in OPS.items()],
            "today": timezone.localdate(),
        },
        status=422 if errors else 200,
    )


def _described(when: Any, params: dict[str, str]) -> str:
    """A rule's condition in words, in the reader's language (fact and threshold labels, never codes)."""
    if not isinstance(when, dict):
        return ""
    for kind, joiner in (("all", _("，且")), ("any", _("，或"))):
        if kind in when:
            return joiner.join(_described(item, params) for item in when[kind])
    fact = FACTS.get(str(when.get("fact", "")))
    name = in_language(fact.zh, fact.en) if fact else _("未知指标")
    op = _(OPS.get(str(when.get("op", "")), "?"))
    if "param" in when:
        param = str(when["param"])
        label = _(PARAM_LABELS[param]) if param in PARAM_LABELS else _("参数")
        rhs = _("%(label)s（现为%(value)s）") % {"label": label, "value": params.get(param, "—")}
    elif "ref" in when:
        ref = FACTS.get(str(when["ref"]))
        rhs = in_language(ref.zh, ref.en) if ref else _("未知指标")
    else:
        rhs = str(when.get("value", ""))
    return _("%(fact)s %(op)s %(rhs)s") % {"fact": name, "op": op, "rhs": rhs}
