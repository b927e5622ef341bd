"""Certification of a product (帮扶产品认定): apply, the list, one application, the next step."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core.replicas import replica_ok
from bangfu.market import selectors, services

if TYPE_CHECKING:
    from bangfu.market.models import Certification

router = Router()


class DecisionIn(Schema):
    decision: str = Field(description="pass, return, reject, certify, revoke, resubmit (see `allowed`)")
    on: dt.date | None = Field(None, description="day of the step (certify: start of validity); default today")
    number: str = Field("", description="certificate number, for certify")
    note: str = Field("", description="opinion; the reason for return, reject and revoke (the enterprise sees it)")
    sector: str = Field("", description="township pass: agriculture, forestry, culture_tourism, industry")


def _cert_row(c: Certification) -> dict[str, Any]:
    return {
        "id": c.pk,
        "product_id": c.product_id,
        "product": c.product.name,
        "enterprise": c.product.enterprise.name,
        "applied_on": c.applied_on,
        "state": c.state,
        "state_label": c.get_state_display(),
        "sector": c.sector,
        "number": c.number,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
    }


def _cert_view(v: selectors.CertView) -> dict[str, Any]:
    return _cert_row(v.certification) | {
        "waiting_for": v.waiting_for,
        "reason": v.reason,
        "steps": [
            {"step": s.label, "on": s.day, "at": s.at, "actor": str(s.actor or "系统"), "note": s.note} for s in v.steps
        ],
        "allowed": [t.event.value for t in v.allowed],
    }


@router.post("/products/{pk}/certifications", response={201: dict[str, Any]}, summary="申请认定 Apply")
@writes(Cap.MARKET_EDIT)
def certification_apply(request: AuthedHttpRequest, pk: int) -> Status[dict[str, Any]]:
    p = selectors.product_get(request.user, pk)
    c = services.certification_apply(actor=request.user, product=p, applied_on=timezone.localdate())
    return Status(201, {"id": c.pk, "state": c.state})


@router.get("/certifications", response=list[dict[str, Any]], summary="认定申请 Certification applications")
@replica_ok
def certification_list(request: AuthedHttpRequest, state: str = "open") -> list[dict[str, Any]]:
    """`state`: open (in progress, the caller's turn first) or closed (the latest 200 decided)."""
    return [
        _cert_row(r.certification) | {"waiting_for": r.waiting_for, "your_turn": r.your_turn}
        for r in selectors.certification_rows(request.user, open_=state != "closed")
    ]


@router.get("/certifications/{pk}", response=dict[str, Any], summary="认定申请详情 Steps done and allowed next")
def certification_get(request: AuthedHttpRequest, pk: int) -> dict[str, Any]:
    return _cert_view(selectors.certification_detail(request.user, pk))


@router.post("/certifications/{pk}/decision", response=dict[str, Any], summary="认定办理 Take the next step")
@writes(Cap.CASE_ACCEPT, Cap.UPLOAD_FEEDS, Cap.MARKET_EDIT)
def certification_decide(request: AuthedHttpRequest, pk: int, body: DecisionIn) -> dict[str, Any]:
    """Township review (pass with `sector`, return, reject), sector review (pass, return, reject), county
    decision (certify with `number`, return, reject), the enterprise's resubmit, the county's revoke."""
    c = selectors.certification_get(request.user, pk)
    services.certification_decide(actor=request.user, certification=c, **body.model_dump())
    return _cert_view(selectors.certification_detail(request.user, pk))
