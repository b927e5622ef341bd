"""Permission checks and input checks shared by the market services."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from bangfu.areas import selectors as areas
from bangfu.core.domain.credit_code import InvalidCreditCode, parse
from bangfu.core.errors import invalid
from bangfu.market import selectors as sel

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.market.models import Enterprise


def require_officer(actor: User | None, area_code: str) -> None:
    """Officer-only steps (registering enterprises, certifying, buyers). None = system job."""
    if actor is None or sel.is_officer_for(actor, area_code):
        return
    areas.refuse_unless(
        allowed=False,
        visible=sel.sees_area(actor, area_code) or sel.own_enterprises(actor).filter(area_id=area_code).exists(),
        zh="您的角色无权执行此操作，请联系县乡村振兴局",
        en="Your role may not do this; ask the county office",
    )


def require_edit(actor: User | None, enterprise: Enterprise) -> None:
    """The enterprise's own user, or an officer of its area."""
    if actor is None or sel.can_edit(actor, enterprise):
        return
    areas.refuse_unless(
        allowed=False,
        visible=sel.enterprises_visible(actor).filter(pk=enterprise.pk).exists(),
        zh="您只能查看该企业，不能修改",
        en="You may view this enterprise but not change it",
    )


def positive(field: str, value: Decimal, zh: str) -> Decimal:
    if value <= 0:
        raise invalid(field, f"{zh}必须大于0", f"{field} must be greater than 0")
    return value


def text(field: str, value: str, zh: str) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(field, f"请填写{zh}", f"{field} is required")
    return value


def credit_code(value: str) -> str:
    """A 统一社会信用代码 (GB 32100) with its check character, or 422 beside the `credit_code` field."""
    try:
        return parse(value)
    except InvalidCreditCode as bad:
        raise invalid("credit_code", bad.zh, bad.en) from None


def recorded_by(actor: User | None) -> User | None:
    """The user a step row names: None for a system job (the demo loader, a migration) or an unsaved user."""
    return actor if getattr(actor, "pk", None) else None
