"""Certification applications (认定为帮扶产品): who sees them, whose step it is, what a user may do next.

Seeing: officers of the enterprise's area (view_reports) and the enterprise's own user see its
applications; a sector bureau's officer sees the applications routed to that bureau inside their area.

Acting (the steps are in domain/certification.py):
- enterprise side (apply, resubmit): the enterprise's own user, or a county officer entering it for them
  (the same rule as every other enterprise write, `can_edit`);
- township review (镇办初审): an officer holding the township steps (case_accept) through a membership of
  the township the enterprise lies in. County administrators hold case_accept too, but they decide at the
  county step, so each step stays with a different office. An enterprise registered above township level
  has no township: there the county officer takes the first review;
- sector review (行业复审): a department officer (dept_officer) whose membership's organisation names the
  bureau the township chose ("农业农村", "农业农村局" or the code), inside that membership's area;
- county decision (县级审定): the county officer (market_edit and view_reports over the area).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from bangfu.accounts.domain.roles import CAPABILITIES, Cap, Role
from bangfu.accounts.selectors import memberships_of
from bangfu.areas.domain.codes import Level, level_of
from bangfu.areas.selectors import under_code_q
from bangfu.core.domain import workflow
from bangfu.core.selectors import get_or_404
from bangfu.market.domain import certification as cert
from bangfu.market.domain.codes import SECTOR_LABELS, Sector
from bangfu.market.models import Certification, CertificationEvent, CertState
from bangfu.market.selectors.access import enterprises_visible, is_officer_for, own_enterprises

if TYPE_CHECKING:
    from bangfu.accounts.models import Membership, User

_ABOVE_TOWNSHIP = frozenset({Level.PROVINCE, Level.PREFECTURE, Level.COUNTY})


def _memberships(user: User) -> list[Membership]:
    return memberships_of(user) if getattr(user, "is_authenticated", False) else []


def _township_prefixes(user: User) -> tuple[str, ...]:
    return tuple(
        m.area.prefix
        for m in _memberships(user)
        if m.area.level == Level.TOWNSHIP and Cap.CASE_ACCEPT in CAPABILITIES[Role(m.role)]
    )


def _sector_prefixes(user: User) -> tuple[tuple[str, str], ...]:
    """(sector, area prefix) per department-officer membership that names a reviewing bureau.

    accounts has no capability for sector review yet (see README, "Not done yet"); until it has, the
    role and the organisation decide, the way enterprise users are found by theirs (access._own_q)."""
    out = []
    for m in _memberships(user):
        sector = cert.sector_of_organisation(m.organisation) if m.role == Role.DEPT_OFFICER.value else None
        if sector is not None:
            out.append((sector.value, m.area.prefix))
    return tuple(out)


@dataclass(frozen=True)
class _Reach:
    """What one user may do on applications, worked out once for a page (no query per row)."""

    user: User
    townships: tuple[str, ...]
    sectors: tuple[tuple[str, str], ...]
    own: frozenset[int]

    def parties(self, c: Certification) -> frozenset[cert.Party]:
        area = c.product.enterprise.area_id
        officer = is_officer_for(self.user, area)
        out = set()
        if officer or c.product.enterprise_id in self.own:
            out.add(cert.Party.ENTERPRISE)
        if officer:
            out.add(cert.Party.COUNTY)
        if any(area.startswith(p) for p in self.townships) or (officer and level_of(area) in _ABOVE_TOWNSHIP):
            out.add(cert.Party.TOWNSHIP)
        if any(c.sector == s and area.startswith(p) for s, p in self.sectors):
            out.add(cert.Party.SECTOR)
        return frozenset(out)

    def your_turn(self, c: Certification) -> bool:
        """Whether the application waits for this user. A county officer may resubmit for an enterprise,
        but a returned application waits for the enterprise itself, not in the county's queue."""
        party = cert.waiting_for(CertState(c.state))
        if party is cert.Party.ENTERPRISE:
            return c.product.enterprise_id in self.own
        return party is not None and party in self.parties(c)


def _reach(user: User) -> _Reach:
    own = frozenset(own_enterprises(user).values_list("pk", flat=True))
    return _Reach(user, _township_prefixes(user), _sector_prefixes(user), own)


def certification_parties(user: User | None, c: Certification) -> frozenset[cert.Party]:
    """The parties the user acts for on this application; None is a system job and acts for all."""
    if user is None:
        return frozenset(cert.Party)
    return _reach(user).parties(c)


def certifications_visible(user: User) -> QuerySet[Certification]:
    q = Q(product__enterprise__in=enterprises_visible(user))
    for sector, prefix in _sector_prefixes(user):
        q |= Q(sector=sector) & under_code_q("product__enterprise__area_id", prefix)
    return Certification.objects.filter(q).select_related("product__enterprise__area")


def certification_get(user: User, pk: int) -> Certification:
    found = get_or_404(certifications_visible(user), pk)
    return found


def certifications_pending(user: User) -> list[Certification]:
    """Open applications waiting for a step this user takes, oldest first."""
    reach = _reach(user)
    rows = certifications_visible(user).filter(state__in=[s.value for s in cert.OPEN_STATES])
    return [c for c in rows.order_by("applied_on", "pk") if reach.your_turn(c)]


@dataclass(frozen=True)
class CertRow:
    certification: Certification
    state_label: str
    waiting_for: str  # who takes the next step, "" once decided
    your_turn: bool


def certification_rows(user: User, *, open_: bool, limit: int = 200) -> list[CertRow]:
    """Open applications (the user's turn first), or the latest decided ones."""
    reach = _reach(user)
    states = cert.OPEN_STATES if open_ else frozenset(cert.State) - cert.OPEN_STATES
    qs = certifications_visible(user).filter(state__in=[s.value for s in states]).order_by("-applied_on", "-pk")
    rows = [
        CertRow(c, cert.STATE_LABELS[CertState(c.state)], _waiting_label(CertState(c.state)), reach.your_turn(c))
        for c in qs[:limit]
    ]
    return sorted(rows, key=lambda r: not r.your_turn)  # stable: newest first within each group


def _waiting_label(state: cert.State) -> str:
    party = cert.waiting_for(state)
    return cert.PARTY_LABELS[party][0] if party else ""


@dataclass(frozen=True)
class CertView:
    certification: Certification
    state_label: str
    waiting_for: str
    sector_label: str
    steps: list[CertificationEvent]  # core.models.StepLog rows: label, day, actor, note
    allowed: list[workflow.Step[cert.State, cert.Action]]  # the next steps this user may take, and only those
    reason: str  # why it was sent back or rejected, while that is where it stands


def _view(reach: _Reach, c: Certification) -> CertView:
    state = CertState(c.state)
    steps = list(c.events.all())
    # The reason stays on show while the application stands where the send-back or rejection put it.
    stands_sent_back = state in (cert.State.RETURNED, cert.State.REJECTED) and bool(steps) and steps[-1].sent_back
    reason = steps[-1].note if stands_sent_back else ""
    return CertView(
        certification=c,
        state_label=cert.STATE_LABELS[state],
        waiting_for=_waiting_label(state),
        sector_label=SECTOR_LABELS[Sector(c.sector)] if c.sector else "",
        steps=steps,
        allowed=cert.TABLE.open_to(state, reach.parties(c)),
        reason=reason,
    )


def certification_detail(user: User, pk: int) -> CertView:
    c = get_or_404(certifications_visible(user).prefetch_related("events__actor"), pk)
    return _view(_reach(user), c)


def certifications_of_product(user: User, product_id: int) -> list[CertView]:
    """Every application of a product the user sees (newest first), for the product page."""
    reach = _reach(user)
    qs = certifications_visible(user).filter(product_id=product_id).prefetch_related("events__actor")
    return [_view(reach, c) for c in qs.order_by("-applied_on", "-pk")]
