"""The progress of an anonymous self-report, for the reporter who gives its reference and their phone.

It says where *the report* stands (received, being handled, decided), read from the steps taken on its
case since the report came in: never the case's number, its earlier history or the household's data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bangfu.casework.domain.procedure import State
from bangfu.casework.models import CaseEvent, SelfReportReceipt
from bangfu.core import crypto

CLOSED = {
    State.REJECTED.value: "not_included",
    State.COUNTY_APPROVED.value: "included",
    State.MONITORED.value: "included",
}
RECORDED_ALONG = ("open", "report", "plan")  # not steps of the procedure


@dataclass(frozen=True)
class ReportProgress:
    reference: str
    received: dt.date
    stage: str  # received | handling | included | not_included
    due_on: dt.date | None  # received: the deadline for acceptance the reporter was told


def report_phone_key(phone: str) -> str:
    """The keyed hash a receipt keeps of the phone typed with the report (spaces and dashes ignored)."""
    return crypto.lookup_hash("self-report-phone|" + re.sub(r"[\s-]", "", phone))


def report_progress(reference: str, phone: str) -> ReportProgress | None:
    """None unless the reference and the phone typed with the report both match."""
    ref = reference.strip().upper()
    receipt = SelfReportReceipt.objects.filter(reference=ref, phone_hash=report_phone_key(phone)).first()
    if receipt is None:
        return None
    steps = (
        CaseEvent.objects.filter(case_id=receipt.case_id, at__gt=receipt.created)
        .exclude(event__in=RECORDED_ALONG)
        .order_by("-at", "-pk")
        .values_list("to_state", flat=True)
    )
    latest = steps.first()
    stage = "received" if latest is None else CLOSED.get(latest, "handling")
    return ReportProgress(receipt.reference, receipt.created.date(), stage, receipt.due_on)
