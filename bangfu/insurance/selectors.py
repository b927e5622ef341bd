"""Scoped reads of insurance. Every function takes the acting user first.

Who sees a claim: people with the household in their area or grid (officers, grid workers), and the
insurer's adjusters for schemes their company insures (Membership.organisation = Scheme.insurer).
Who sees a scheme: the county's officers, and the adjusters of the insuring company.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext

from bangfu.accounts.domain.roles import Cap, Role
from bangfu.accounts.selectors import has_cap, memberships_of
from bangfu.areas.domain.codes import Level
from bangfu.areas.selectors import Place, Where, areas_visible, scope_for, under_code_q, where_q
from bangfu.core.domain.money import ZERO, q
from bangfu.core.domain.text import gettext_noop
from bangfu.core.errors import NotFound
from bangfu.core.i18n import in_language
from bangfu.core.selectors import get_or_404
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.documents import missing
from bangfu.insurance.domain.fund import FundFigures
from bangfu.insurance.domain.workflow import STATUS_LABELS, TABLE, Event, GuardFacts, Status
from bangfu.insurance.models import (
    CauseTerms,
    Claim,
    ClaimAid,
    ClaimDocument,
    ClaimEvent,
    ClaimExpense,
    DocumentRule,
    LedgerEntry,
    Payment,
    Scheme,
)
from bangfu.registry import selectors as registry
from bangfu.registry.domain.income import Purpose, income_year

if TYPE_CHECKING:
    from bangfu.accounts.models import User

CLAIM_CAPS = (Cap.CLAIM_SURVEY, Cap.CLAIM_APPROVE, Cap.CASE_VILLAGE)


def insurer_companies(user: User) -> frozenset[str]:
    """The insurers this user adjusts for (empty for everyone else)."""
    return frozenset(m.organisation for m in memberships_of(user) if m.role == Role.INSURER and m.organisation)


def _insurer_q(user: User, scheme_path: str) -> Q:
    companies = insurer_companies(user)
    scope = scope_for(user, Cap.CLAIM_SURVEY)
    if not companies or scope.empty:
        return Q(pk__in=[])
    return scope.q(village=f"{scheme_path}county_id", grid=None) & Q(**{f"{scheme_path}insurer__in": companies})


def claims_visible(user: User) -> QuerySet[Claim]:
    people = scope_for(user, Cap.VIEW_PEOPLE)
    if people.everything:  # an empty Q() would vanish inside the OR below
        return Claim.objects.all()
    q = people.q(village="household__village_id", grid="household__grid_id") | _insurer_q(user, "scheme__")
    return Claim.objects.filter(q)


def todo_statuses(user: User) -> list[Status]:
    """The states in which a claim waits for someone with the user's capabilities: their work to do."""
    held = frozenset(c.value for c in CLAIM_CAPS if has_cap(user, c))
    return [s for s in Status if TABLE.waiting_for(s) & held]


def claim_queue(
    user: User,
    *,
    status: str = "",
    statuses: list[Status] | None = None,
    scheme_id: int | None = None,
    place: Place | None = None,
    text: str = "",
    cause: str = "",
) -> QuerySet[Claim]:
    """The list page: one query for the rows with their scheme, household and its village and township.

    `place` narrows to an area or grid from the link (a dashboard tile); `text` finds the household by a
    name, its number or a member's full ID number (by hash, through the registry)."""
    qs = claims_visible(user).select_related("scheme", "household__village__parent")
    if status:
        qs = qs.filter(status=status)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if scheme_id:
        qs = qs.filter(scheme_id=scheme_id)
    if place is not None:
        qs = qs.filter(place.q(village="household__village_id", grid="household__grid_id"))
    if text:
        qs = qs.filter(household__in=registry.households_matching(text))
    if cause:
        qs = qs.filter(cause=cause)
    return qs.order_by("applied_on", "pk")


def status_counts(qs: QuerySet[Claim]) -> dict[str, int]:
    """Claims per status of a list (one grouped query), for the counts on its status tabs."""
    return dict(qs.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))


def work_counts(user: User) -> list[tuple[str, str, int]]:
    """(status, its label, claims) of the user's work to do in every state that waits for them, for a home page
    (待勘查 5件…): the insurer's survey, calculation and payment, the county's approval."""
    todo = todo_statuses(user)
    counts = status_counts(claims_visible(user).filter(status__in=todo)) if todo else {}
    return [(s.value, STATUS_LABELS[s], counts.get(s, 0)) for s in todo]


def claim_get(user: User, pk: int) -> Claim:
    c = get_or_404(claims_visible(user).select_related("scheme", "household", "member", "terms"), pk)
    return c


@dataclass(frozen=True)
class ClaimDetail:
    claim: Claim
    expenses: list[ClaimExpense]
    aid: list[ClaimAid]
    documents: list[ClaimDocument]
    events: list[ClaimEvent]
    payment: Payment | None

    @property
    def days_to_pay(self) -> int | None:
        """Calendar days from application to payment (story B: January → early April)."""
        return (self.payment.paid_on - self.claim.applied_on).days if self.payment else None


def claim_detail(user: User, pk: int) -> ClaimDetail:
    """The claim with its lines, documents, events and payment in a fixed number of queries."""
    c = claim_get(user, pk)
    return ClaimDetail(
        claim=c,
        expenses=list(c.expenses.all()),
        aid=list(c.aid.all()),
        documents=list(c.documents.select_related("uploaded_by")),
        events=list(ClaimEvent.objects.filter(claim=c).select_related("actor")),
        payment=c.payments.first(),
    )


def claim_income_reference(user: User, claim: Claim) -> tuple[int, Decimal | None]:
    """(year, per-capita net income) of the statement that is the household's income for a claim
    (registry's domain decides which: the last complete year before the application), as the
    suggestion the home survey confirms or corrects. None when that statement is not recorded or
    the user may not read the household's income."""
    year = income_year(Purpose.CLAIM, claim.applied_on)
    cap = Cap.VIEW_PEOPLE if has_cap(user, Cap.VIEW_PEOPLE) else Cap.CLAIM_SURVEY  # the adjuster surveys income
    try:
        st = registry.statement_for(user, claim.household_id, year, cap)
    except NotFound:
        return year, None
    return year, st.per_capita if st is not None else None


def caps_on_claim(user: User, claim: Claim) -> frozenset[str]:
    """The workflow capabilities `user` holds for this claim's household and scheme."""
    caps: set[str] = set()
    for cap in CLAIM_CAPS:
        if not scope_for(user, cap).covers_code(claim.household.village_id):
            continue
        if cap == Cap.CLAIM_SURVEY and not (user.is_superuser or claim.scheme.insurer in insurer_companies(user)):
            continue
        caps.add(cap.value)
    return frozenset(caps)


def guard_facts(claim: Claim, today: dt.date) -> GuardFacts:
    """What the workflow's guards read about a claim on `today` (the step's date)."""
    over = claim.publicised_on is not None and (today - claim.publicised_on).days >= claim.scheme.publicity_days
    return GuardFacts(
        publicity_required=claim.scheme.publicity_required,
        eligible=bool(claim.eligible),
        payout_positive=(claim.payout or 0) > 0,
        publicity_over=over,
    )


@dataclass(frozen=True)
class Steps:
    """The claim's next steps for one user: those they can take now, those of theirs a guard holds back
    (event, why), and the capabilities the claim waits for when none is theirs."""

    open: list[Event]
    blocked: list[tuple[Event, list[str]]]
    waiting_for: frozenset[str]


def steps_for(user: User, claim: Claim, today: dt.date) -> Steps:
    """Only the steps that can be taken are offered (UX review P11): a guard that fails today (a zero
    payout, a publicity period not over) keeps its step off the page, and says why."""
    facts = guard_facts(claim, today)
    state = Status(claim.status)
    can: list[Event] = []
    held: list[tuple[Event, list[str]]] = []
    for step in TABLE.open_to(state, caps_on_claim(user, claim)):
        failed = [g for g in step.guards if not g.test(facts)]
        if not failed:
            can.append(step.event)
        elif step.event not in (Event.DECLINE,):  # closing is only for a claim with nothing to pay
            payable = [g for g in failed if g.name == "payable"]  # nothing to pay: the one reason that matters
            held.append((step.event, [in_language(g.zh, g.en) for g in payable or failed]))
    return Steps(can, held, TABLE.waiting_for(state))


@dataclass(frozen=True)
class Stage:
    """One step of the claim's path on its page: done (with when and who), current, or to come."""

    label: str
    state: str  # "done", "current", "ahead", "refused" (the CSS classes of the shared stepper)
    on: dt.date | None = None
    actor: str = ""


def claim_progress(d: ClaimDetail) -> list[Stage]:
    """The path a claim takes (publicity only where the scheme requires it), with the steps done."""
    c = d.claim
    path = [Event.SUBMIT, Event.SURVEY, Event.CALCULATE]
    path += [Event.PUBLICISE] if c.scheme.publicity_required else []
    path += [Event.APPROVE, Event.PAY]
    done = {e.event: e for e in d.events}
    closed = next((e for e in d.events if e.event in (Event.REJECT, Event.DECLINE)), None)
    stages: list[Stage] = []
    current_set = False
    nothing_to_pay = c.status == Status.CALCULATED and not (c.eligible and (c.payout or 0) > 0)
    if nothing_to_pay:  # the calculation ends the path: the adjuster closes it (UX review P11)
        path = [Event.SUBMIT, Event.SURVEY, Event.CALCULATE, Event.DECLINE]
    for ev in path:
        e = done.get(ev)
        if e is not None:
            stages.append(Stage(TABLE.event_label(ev), "done", e.day, str(e.actor or "")))
        elif closed is None and not current_set:
            stages.append(Stage(TABLE.event_label(ev), "current"))
            current_set = True
        elif closed is None:
            stages.append(Stage(TABLE.event_label(ev), "ahead"))
    if closed is not None:
        stages.append(Stage(TABLE.event_label(closed.event), "refused", closed.day, str(closed.actor or "")))
    return stages


@dataclass(frozen=True)
class Source:
    """Where a claim came from, as people name it: the channel, and the record it points at (linked)."""

    channel: str
    label: str
    pk: int | None
    url: str


# Records a claim's opaque `source_ref` may point at, and where their pages are (by URL name: this app
# imports neither monitoring nor casework).
SOURCE_RECORDS = {
    "warning": (gettext_noop("预警"), "monitoring:warning_detail"),
    "case": (gettext_noop("监测帮扶案件"), "casework:case_detail"),
}


def claim_source(claim: Claim) -> Source:
    """`warning:1` becomes 预警 #1 linked to the warning's page; any other reference is named by its
    channel only, never shown as a code."""
    channel = codes.CHANNELS.get(claim.channel, "")
    kind, _sep, ref = claim.source_ref.partition(":")
    if kind not in SOURCE_RECORDS or not ref.isdigit():
        return Source(channel, "", None, "")
    label, route = SOURCE_RECORDS[kind]
    return Source(channel, label, int(ref), reverse(route, args=[int(ref)]))


@dataclass(frozen=True)
class Deduction:
    kind: str  # the aid's label
    amount: Decimal
    deducted: bool


_OLD_NOTE = re.compile(r"^(不?扣减) (\S+) ([\d,]+\.\d\d)")


def deduction_lines(claim: Claim) -> list[Deduction]:
    """The other aid the calculation deducted or not, by label. Calculations stored before the
    structured list carry it as text ("扣减 medical_insurance 1,000.00"), read here the same way."""
    ex = claim.explanation or {}
    if "deductions" in ex:
        rows = [(r["kind"], Decimal(r["amount"]), bool(r["deducted"])) for r in ex["deductions"]]
    else:
        found = [m for n in ex.get("notes", []) if (m := _OLD_NOTE.match(n))]
        rows = [(m[2], Decimal(m[3].replace(",", "")), m[1] == "扣减") for m in found]
    return [Deduction(codes.AID_KINDS.get(k, codes.AID_KINDS["other"]), a, d) for k, a, d in rows]


def may_add_documents(user: User, claim: Claim) -> bool:
    """Attaching papers belongs to those who work the claim: a workflow capability on it (its scheme's
    insurer, the village, the county) or the capability to file claims for its household (officers,
    its grid worker). Readers such as the auditor may open documents but not add them."""
    if caps_on_claim(user, claim):
        return True
    try:
        registry.household_get(user, claim.household_id, Cap.HANDLE_WARNINGS)
    except NotFound:
        return False
    return True


def claims_for_household(user: User, household_id: int) -> list[Claim]:
    """The household page's claims section (404 when the household is outside the user's areas)."""
    h = registry.household_get(user, household_id)
    qs = Claim.objects.filter(household=h).select_related("scheme").prefetch_related("payments")
    return list(qs.order_by("-applied_on", "-pk"))


def paid_this_year(claim: Claim, per: str) -> Decimal:
    """What the same household (or person) already got under this scheme and cause, this claim excluded."""
    qs = Claim.objects.filter(
        scheme_id=claim.scheme_id, cause=claim.cause, status__in=[Status.APPROVED, Status.PAID]
    ).exclude(pk=claim.pk)
    qs = (
        qs.filter(member_id=claim.member_id)
        if per == "person" and claim.member_id
        else qs.filter(household_id=claim.household_id)
    )
    return q(qs.aggregate(s=Sum("payout"))["s"] or ZERO)


def schemes_visible(user: User) -> QuerySet[Scheme]:
    """Schemes of the counties the user reports on, including from a township or village below.

    A scheme is a county's; a township officer reads the terms that apply to their households, so
    the county that contains their area counts too, not only the areas under it.
    """
    officers = scope_for(user, Cap.VIEW_REPORTS)
    if officers.everything:
        return Scheme.objects.all()
    containing = [p[:6] + "000000" for p in officers.prefixes if len(p) >= 6]
    q = officers.q(village="county_id", grid=None) | Q(county_id__in=containing)
    return Scheme.objects.filter(q | _insurer_q(user, ""))


def scheme_get(user: User, pk: int) -> Scheme:
    s = get_or_404(schemes_visible(user), pk)
    return s


def reports_on_county(user: User, county_code: str) -> bool:
    """The user reports on this county or on an area inside it (so may know its scheme exists)."""
    scope = scope_for(user, Cap.VIEW_REPORTS)
    return scope.covers_code(county_code) or any(p[:6] == county_code[:6] for p in scope.prefixes)


def counties_configurable(user: User) -> list[tuple[str, str]]:
    """(code, name) of the counties whose schemes the user may set up."""
    if not has_cap(user, Cap.CONFIGURE):
        return []
    return list(areas_visible(user, level=Level.COUNTY, cap=Cap.CONFIGURE).values_list("code", "name"))


def can_configure(user: User, scheme_or_county: Scheme | str) -> bool:
    code = scheme_or_county if isinstance(scheme_or_county, str) else scheme_or_county.county_id
    return has_cap(user, Cap.CONFIGURE) and scope_for(user, Cap.CONFIGURE).covers_code(code)


def terms_of(scheme: Scheme) -> list[CauseTerms]:
    """Every version of every cause of a scheme the caller already holds, newest version first."""
    return list(CauseTerms.objects.filter(scheme=scheme).prefetch_related("bands"))


def terms_in_force(scheme: Scheme, cause: str, on: dt.date) -> CauseTerms | None:
    return (
        CauseTerms.objects.filter(scheme=scheme, cause=cause, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .prefetch_related("bands")
        .order_by("-effective_from")
        .first()
    )


def ledger_of(scheme: Scheme) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(scheme=scheme).select_related("claim").order_by("on", "pk")


def fund_figures(scheme: Scheme) -> FundFigures:
    """The ledger summed by kind in one query."""
    rows = LedgerEntry.objects.filter(scheme=scheme).values("kind").annotate(s=Sum("amount")).values_list("kind", "s")
    sums = {kind: q(total) for kind, total in rows}  # SQLite sums decimals with stray places
    return FundFigures(
        carried_in=sums.get("carry_in", ZERO),
        premiums=sums.get("premium", ZERO),
        topups=sums.get("topup", ZERO),
        payouts=sums.get("payout", ZERO),
        fees=sums.get("fee", ZERO),
        carried_out=sums.get("carry_out", ZERO),
    )


@dataclass(frozen=True)
class ClaimRow:
    """One claim as the reports need it (the statistics read only codes and amounts; the ledger also
    names the household: `household_id` for its head, `village` and `village_name`)."""

    pk: int
    cause: str
    status: str
    township: str
    applied_on: dt.date
    paid_on: dt.date | None
    payout: Decimal | None
    paid: Decimal | None
    household_id: int = 0
    household_number: str = ""
    head_name: str = ""
    village: str = ""
    village_name: str = ""


def report_rows(user: User, scheme: Scheme) -> list[ClaimRow]:
    """Every claim of the scheme the user may see, as plain rows (two queries)."""
    qs = claims_visible(user).filter(scheme=scheme).order_by("applied_on", "pk")
    rows = qs.values_list(
        "pk", "cause", "status", "household__village_id", "applied_on", "payout", "household_id",
        "household__number", "household__head_name", "household__village__name",
    )  # fmt: skip
    payments = Payment.objects.filter(claim__scheme=scheme).values_list("claim_id", "paid_on", "amount")
    paid = {claim_id: (on, amount) for claim_id, on, amount in payments}
    out = []
    for pk, cause, status, village, applied, payout, hid, number, head, village_name in rows:
        paid_on, amount = paid.get(pk, (None, None))
        out.append(
            ClaimRow(pk, cause, status, str(village)[:9] + "000", applied, paid_on, payout, amount, hid, number, head,
                     str(village), village_name)
        )  # fmt: skip
    return out


def township_names(user: User) -> dict[str, str]:
    """Township code → name for the townships the user sees as an officer or as an adjuster."""
    names: dict[str, str] = {}
    for cap in (Cap.VIEW_REPORTS, Cap.CLAIM_SURVEY):
        names |= dict(areas_visible(user, level=Level.TOWNSHIP, cap=cap).values_list("code", "name"))
    return names


def household_section(user: User, household_id: int) -> dict[str, object] | None:
    """The claims card of the registry's household page (registry/sections.py calls this)."""
    claims = claims_for_household(user, household_id)
    return {
        "title": gettext("防贫保险理赔"),
        "template": "insurance/_household_claims.html",
        "context": {"claims": claims, "household_id": household_id},
    }


# --- batch counts (for batch indicator jobs, never returned to a user) -------------------------


def village_counts(as_of: dt.date, *, prefix: Where = "", by: str = "village") -> list[tuple[str, str, Decimal]]:
    """(village code or grid id, key, value): "claims.paid" yuan and "claims.paid_count" payments made
    this year up to `as_of`, by the household's village (or grid). One grouped query.

    For batch indicator jobs, never returned to a user.
    """
    column = "claim__household__village_id" if by == "village" else "claim__household__grid_id"
    qs = Payment.objects.filter(paid_on__gte=dt.date(as_of.year, 1, 1), paid_on__lte=as_of)
    if prefix:
        qs = qs.filter(where_q("claim__household__village_id", prefix))
    rows = qs.exclude(**{f"{column}__isnull": True}).values(column).annotate(s=Sum("amount"), n=Count("id"))
    out: list[tuple[str, str, Decimal]] = []
    for r in rows.order_by():
        out += [(str(r[column]), "claims.paid", q(r["s"])), (str(r[column]), "claims.paid_count", Decimal(r["n"]))]
    return out


def villages_dated(after: dt.date, until: dt.date, prefix: str = "") -> set[str]:
    """Areas whose figures may move between two days without a write: payments made on a day in
    [after, until] (by the household's village) and fund ledger entries then (by the county)."""
    paid = Payment.objects.filter(paid_on__range=(after, until))
    ledger = LedgerEntry.objects.filter(on__range=(after, until))
    if prefix:
        paid = paid.filter(under_code_q("claim__household__village_id", prefix))
        ledger = ledger.filter(under_code_q("scheme__county_id", prefix[:6]))
    codes = set(paid.values_list("claim__household__village_id", flat=True).distinct())
    return {str(c) for c in codes | set(ledger.values_list("scheme__county_id", flat=True).distinct())}


def county_counts(as_of: dt.date) -> list[tuple[str, str, Decimal]]:
    """(county code, key, value): the fund balance and premiums of each county's scheme of the year
    of `as_of`, from the ledger up to that day (one grouped query, FundFigures does the sum).

    The fund belongs to the county, not to a village, so this is counted for every county at once.
    For batch indicator jobs, never returned to a user.
    """
    rows = (
        LedgerEntry.objects.filter(scheme__year=as_of.year, on__lte=as_of)
        .values("scheme__county_id", "kind")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    sums: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        sums.setdefault(str(r["scheme__county_id"]), {})[r["kind"]] = q(r["s"])
    out: list[tuple[str, str, Decimal]] = []
    for county, by_kind in sums.items():
        fund = FundFigures(
            carried_in=by_kind.get("carry_in", ZERO),
            premiums=by_kind.get("premium", ZERO),
            topups=by_kind.get("topup", ZERO),
            payouts=by_kind.get("payout", ZERO),
            fees=by_kind.get("fee", ZERO),
            carried_out=by_kind.get("carry_out", ZERO),
        )
        out += [(county, "fund.balance", fund.balance), (county, "fund.premiums", fund.premiums)]
    return out


def claims_by_ids(user: User, ids: list[int]) -> list[Claim]:
    """The earlier claims a repeat names, as far as the user may see them (others stay numbers only)."""
    return list(claims_visible(user).filter(pk__in=ids).order_by("pk")) if ids else []


def document_rules_of(scheme: Scheme) -> list[DocumentRule]:
    """Every version of the scheme's document requirements (caller already holds the scheme)."""
    return list(DocumentRule.objects.filter(scheme=scheme).order_by("cause", "-effective_from"))


def document_rule_in_force(scheme: Scheme, cause: str, on: dt.date) -> DocumentRule | None:
    """The cause's own version in force on `on`, else the all-causes ("*") one."""
    rows = (
        DocumentRule.objects.filter(scheme=scheme, cause__in=[cause, "*"], effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
    )
    found = {r.cause: r for r in reversed(list(rows))}  # newest per cause wins
    return found.get(cause) or found.get("*")


def missing_documents(claim: Claim, step: str) -> list[str]:
    """Document kinds the claim still lacks before `step` (survey, approve, pay) under its scheme's rule."""
    rule = document_rule_in_force(claim.scheme, claim.cause, claim.applied_on)
    if rule is None:
        return []
    attached = set(ClaimDocument.objects.filter(claim=claim).values_list("kind", flat=True))
    return missing(step, rule.as_steps(), attached)
