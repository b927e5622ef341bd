"""Fund and claim reports of one scheme, for the page, the API and the Excel export.

Built from the scoped selectors: a township officer's report covers their township's claims, the
county's covers the county. The ledger belongs to the scheme and is shown whole to whoever may
read the scheme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.insurance import selectors
from bangfu.insurance.domain import codes
from bangfu.insurance.domain.reports import Bucket, Summary, summarise
from bangfu.insurance.domain.workflow import STATUS_LABELS, Status

if TYPE_CHECKING:
    from bangfu.accounts.models import User
    from bangfu.insurance.models import Scheme


def summary(user: User, scheme: Scheme) -> tuple[Summary, dict[str, str]]:
    rows = selectors.report_rows(user, scheme)
    return summarise(rows), selectors.township_names(user)


def _buckets(buckets: tuple[Bucket, ...], label: Any = None) -> list[dict[str, Any]]:
    return [
        {
            "key": b.key,
            "label": label(b.key) if label else b.key,
            "claims": b.claims,
            "paid_claims": b.paid_claims,
            "rejected": b.rejected,
            "paid": b.paid,
        }
        for b in buckets
    ]


def report_dict(user: User, scheme: Scheme) -> dict[str, Any]:
    s, towns = summary(user, scheme)
    f = selectors.fund_figures(scheme)
    return {
        "claims": s.claims,
        "paid_claims": s.paid_claims,
        "rejected": s.rejected,
        "open": s.open,
        "paid": s.paid,
        "avg_days_to_pay": s.avg_days_to_pay,
        "max_days_to_pay": s.max_days_to_pay,
        "loss_ratio": f.loss_ratio,
        "balance": f.balance,
        "by_cause": _buckets(s.by_cause, codes.cause_label),
        "by_township": _buckets(s.by_township, lambda k: towns.get(k, k)),
        "by_month": _buckets(s.by_month),
    }


_BUCKET_COLUMNS = ["类别", "报案数", "已赔付件数", "不予赔付件数", "赔付金额(元)"]


def _bucket_sheet(name: str, buckets: list[dict[str, Any]]) -> SheetSpec:
    return SheetSpec(
        name, _BUCKET_COLUMNS, [[b["label"], b["claims"], b["paid_claims"], b["rejected"], b["paid"]] for b in buckets]
    )


def workbook(user: User, scheme: Scheme) -> bytes:
    """理赔明细, statistics by cause / township / month, and the fund ledger, as one .xlsx."""
    rows = selectors.report_rows(user, scheme)
    r = report_dict(user, scheme)
    towns = selectors.township_names(user)
    detail = SheetSpec(
        "理赔明细",
        ["理赔编号", "风险类别", "乡镇", "状态", "申请日期", "支付日期", "申请至支付天数", "核定赔款(元)", "实付(元)"],
        [
            [
                f"#{x.pk}",
                codes.cause_label(x.cause),
                towns.get(x.township, x.township),
                STATUS_LABELS[Status(x.status)],
                x.applied_on.isoformat(),
                x.paid_on.isoformat() if x.paid_on else "",
                (x.paid_on - x.applied_on).days if x.paid_on else None,
                x.payout,
                x.paid,
            ]
            for x in rows
        ],
    )
    ledger = SheetSpec(
        "基金台账",
        ["日期", "类型", "金额(元)", "理赔编号", "凭证号", "摘要"],
        [
            [
                e.on.isoformat(),
                codes.LEDGER_KINDS.get(e.kind, e.kind),
                e.amount,
                f"#{e.claim_id}" if e.claim_id else "",
                e.reference,
                e.note,
            ]
            for e in selectors.ledger_of(scheme)
        ],
    )
    return write_workbook(
        [
            detail,
            _bucket_sheet("按风险类别", r["by_cause"]),
            _bucket_sheet("按乡镇", r["by_township"]),
            _bucket_sheet("按月份", r["by_month"]),
            ledger,
        ]
    )
