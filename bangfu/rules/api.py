"""JSON API of rules, mounted under /api/v1/rules/ by bangfu/api.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from bangfu.monitoring import services as monitoring
from bangfu.rules import selectors
from bangfu.rules.domain.facts import FACTS

router = Router(tags=["rules"])


class RuleOut(Schema):
    code: str
    zh: str
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
    return {"id": rs.pk, "area": rs.area_id, "version": rs.version, "status": rs.status, "window": rs.window,
            "params": rs.params, "effective_from": rs.effective_from and rs.effective_from.isoformat(),
            "effective_to": rs.effective_to and rs.effective_to.isoformat(),
            "rules": [{"code": r.code, "zh": r.zh, "risk": r.risk, "when": r.when} for r in rs.rules.all()]}


@router.get("/facts")
def fact_vocabulary(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": f.code, "zh": f.zh, "en": f.en, "unit": f.unit.value} for f in FACTS.values()]


@router.get("/rulesets", response=list[RuleSetOut])
def ruleset_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(rs) for rs in selectors.rulesets_visible(request.user).prefetch_related("rules")]  # type: ignore[arg-type]


@router.get("/rulesets/{pk}", response=RuleSetOut)
def ruleset_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(selectors.ruleset_get(request.user, pk))  # type: ignore[arg-type]


@router.post("/rulesets/{pk}/preview")
def ruleset_preview(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Households the version would flag today, by township, with those added and removed."""
    rs = selectors.ruleset_get(request.user, pk)  # type: ignore[arg-type]
    return monitoring.ruleset_preview(actor=request.user, ruleset=rs, as_of=timezone.localdate())  # type: ignore[arg-type]
