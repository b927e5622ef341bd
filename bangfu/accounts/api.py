"""JSON API of accounts: who am I (roles, areas, capabilities)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from bangfu.accounts import selectors

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    area_code: str
    area_name: str
    organisation: str


class MeOut(Schema):
    username: str
    display_name: str
    memberships: list[MembershipOut]
    capabilities: list[str]


@router.get("/me", response=MeOut, summary="当前用户 The calling user")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.username,  # type: ignore[union-attr]
        display_name=str(user),
        memberships=[
            MembershipOut(role=m.role, area_code=m.area.code, area_name=m.area.name, organisation=m.organisation)
            for m in selectors.memberships_of(user)  # type: ignore[arg-type]
        ],
        capabilities=sorted(c.value for c in selectors.capabilities_of(user)),  # type: ignore[arg-type]
    )
