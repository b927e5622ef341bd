"""JSON API of rules, mounted under /api/v1/rules/ by bangfu/api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.rules import selectors, services
from bangfu.rules.domain.facts import FACTS

router = Router(tags=["rules"])


class RuleOut(Schema):
    code: str
    zh: str
    en: str
    risk: str
    when: dict[str, Any]


class RuleSetOut(Schema):
    id: int
    area: str
    version: int
    status: str
    window: str
    params: dict[str, str]
    effective_from: str | None
    effective_to: str | None
    rules: list[RuleOut]


def _out(rs: Any) -> dict[str, Any]:
    return {
        "id": rs.pk,
        "area": rs.area_id,
        "version": rs.version,
        "status": rs.status,
        "window": rs.window,
        "params": rs.params,
        "effective_from": rs.effective_from and rs.effective_from.isoformat(),
        "effective_to": rs.effective_to and rs.effective_to.isoformat(),
        "rules": [{"code": r.code, "zh": r.zh, "en": r.en, "risk": r.risk, "when": r.when} for r in rs.rules.all()],
    }


@router.get("/facts")
def fact_vocabulary(request: AuthedHttpRequest) -> list[dict[str, str]]:
    return [{"code": f.code, "zh": f.zh, "en": f.en, "unit": f.unit.value} for f in FACTS.values()]


@router.get("/rulesets", response=list[RuleSetOut])
@replica_ok
def ruleset_list(request: AuthedHttpRequest) -> list[dict[str, Any]]:
    return [_out(rs) for rs in selectors.rulesets_visible(request.user).prefetch_related("rules")]


@router.get("/rulesets/{pk}", response=RuleSetOut)
def ruleset_detail(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _out(selectors.ruleset_get(request.user, pk))


@router.post("/rulesets/{pk}/preview")
@writes(Cap.CONFIGURE)
def ruleset_preview(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    """Households the version would flag today, by township, with those added and removed."""
    rs = selectors.ruleset_get(request.user, pk)
    return selectors.ruleset_preview(actor=request.user, ruleset=rs, as_of=timezone.localdate())


# --- drafts and publishing: the rule editor page's services ------------------------------------------


class DraftIn(Schema):
    area: str = ""  # 12-digit area code; empty: the caller's first area with the `configure` capability
    note: str = ""


class MonitoringRuleIn(Schema):
    code: str
    zh: str = ""
    en: str = ""
    risk: str = "其他"
    when: dict[str, Any]


class DraftUpdateIn(Schema):
    window: str
    params: dict[str, str]
    rules: list[MonitoringRuleIn]
    note: str = ""


class PublishIn(Schema):
    effective_from: dt.date


@router.post("/rulesets", response={201: RuleSetOut}, summary="新建规则草稿 New draft (copy of the version in force)")
@writes(Cap.CONFIGURE)
def ruleset_draft_create(request: AuthedHttpRequest, body: DraftIn) -> Status[Any]:
    rs = services.ruleset_start_draft(actor=request.user, area_code=body.area, note=body.note)
    return Status(201, _out(selectors.ruleset_get(request.user, rs.pk)))


@router.put("/rulesets/{pk}", response=RuleSetOut, summary="修改规则草稿 Replace a draft's window, parameters, rules")
@writes(Cap.CONFIGURE)
def ruleset_draft_update(request: AuthedHttpRequest, pk: int, body: DraftUpdateIn) -> dict[str, Any]:
    rs = selectors.ruleset_get(request.user, pk)
    services.ruleset_update_draft(
        actor=request.user,
        ruleset=rs,
        window=body.window,
        params=body.params,
        rules=[r.dict() for r in body.rules],
        note=body.note,
    )
    return _out(selectors.ruleset_get(request.user, pk))


@router.post("/rulesets/{pk}/publish", response=RuleSetOut, summary="发布规则 Publish a draft from a date")
@writes(Cap.CONFIGURE)
def ruleset_publish(request: AuthedHttpRequest, pk: int, body: PublishIn) -> dict[str, Any]:
    rs = selectors.ruleset_get(request.user, pk)
    services.ruleset_publish(actor=request.user, ruleset=rs, effective_from=body.effective_from)
    return _out(selectors.ruleset_get(request.user, pk))


@router.delete("/rulesets/{pk}", response={204: None}, summary="删除规则草稿 Delete a draft")
@writes(Cap.CONFIGURE)
def ruleset_draft_delete(request: AuthedHttpRequest, pk: int) -> Status[Any]:
    rs = selectors.ruleset_get(request.user, pk)
    services.ruleset_delete_draft(actor=request.user, ruleset=rs)
    return Status(204, None)
