"""A scheme's settings parsed at the edge (the page's form and the API's body), with core.inputs: the
services then take a typed `SchemeInput` and check only the scheme's own rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bangfu.core.inputs import Problems
from bangfu.insurance.services import SchemeInput


def _groups(value: Any) -> tuple[str, ...]:
    """Household groups as a list (a form's checkboxes, the API's array) or comma-separated text."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return tuple(g for g in (str(i).strip() for i in items) if g)


def scheme_input(v: Mapping[str, Any]) -> SchemeInput:
    """Every field of a scheme, each problem beside its field (422 with all of them at once)."""
    with Problems() as p:
        s = SchemeInput(
            name=p.text(v.get("name"), "name", max_len=100, required=True, zh="方案名称", en="scheme name"),
            insurer=p.text(v.get("insurer"), "insurer", max_len=100, required=True, zh="承保公司", en="insurer"),
            policyholder=p.text(
                v.get("policyholder"), "policyholder", max_len=100, required=True, zh="投保人", en="policyholder"
            ),
            period_start=p.date(v.get("period_start"), "period_start", future=True, zh="保险期间起", en="start"),
            period_end=p.date(v.get("period_end"), "period_end", future=True, zh="保险期间止", en="end"),
            premium_per_person=p.money(v.get("premium_per_person"), "premium_per_person", zh="每人保费", en="premium"),
            income_line=p.money(v.get("income_line"), "income_line", zh="防贫线", en="income line"),
            basis=str(v.get("basis") or "groups"),
            basis_share=p.rate(v.get("basis_share") or "0", "basis_share"),
            basis_count=p.whole(v.get("basis_count") or 0, "basis_count", zh="人数", en="count"),
            insured_groups=_groups(v.get("insured_groups")),
            fee_rate=p.rate(v.get("fee_rate") or "0", "fee_rate"),
            carry_over=bool(v.get("carry_over")),
            deficit_topup=bool(v.get("deficit_topup")),
            publicity_required=bool(v.get("publicity_required")),
            publicity_days=p.whole(v.get("publicity_days") or 5, "publicity_days", zh="公示天数", en="publicity days"),
            dup_amount_tolerance=p.money(v.get("dup_amount_tolerance") or "0", "dup_amount_tolerance"),
            dup_date_slack_days=p.whole(
                v.get("dup_date_slack_days") or 0, "dup_date_slack_days", zh="日期容差天数", en="date slack in days"
            ),
            dup_count_rejected=bool(v.get("dup_count_rejected")),
        )
    return s
