"""Ending a labour contract (终止劳动合同): officers of the workshop's area and the workshop's operator."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.employment import selectors, services
from bangfu.employment.domain.endings import CONTRACT_END_REASONS
from bangfu.employment.views._forms import ending_form, reason_choices


@login_required
@writes(Cap.EMPLOYMENT_EDIT)
def contract_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The first day no longer worked, a reason from the list and a note; the KPI and payroll follow."""
    user: Any = request.user
    c = selectors.contract_to_change(user, pk)
    return ending_form(
        request,
        template="employment/contract_end.html",
        context={"c": c, "reasons": reason_choices(CONTRACT_END_REASONS)},
        end=lambda **values: services.contract_end(actor=user, contract=c, **values),
        done=_("已终止劳动合同：%(name)s") % {"name": c.member.name},
        then="employment:workshop_detail",
        pk=c.workshop_id,
    )
