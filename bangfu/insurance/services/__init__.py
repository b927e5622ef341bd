"""Writes of insurance: keyword-only, atomic, audited (design guide §6 rule 1).

schemes.py — scheme and per-cause terms configuration · claims.py — the claim workflow and payment
exactly once · fund.py — premiums and the year-end settlement. Callers import from here.
"""

from bangfu.insurance.services.claims import (
    INCOME_ITEM,
    AidInput,
    ExpenseInput,
    claim_approve,
    claim_calculate,
    claim_decline,
    claim_document_add,
    claim_pay,
    claim_publicise,
    claim_reject,
    claim_submit,
    claim_survey,
)
from bangfu.insurance.services.fund import fund_settle, premium_record
from bangfu.insurance.services.schemes import (
    SchemeInput,
    TermsInput,
    document_rule_set,
    scheme_create,
    scheme_update,
    terms_domain,
    terms_set,
)

__all__ = [
    "INCOME_ITEM",
    "AidInput",
    "ExpenseInput",
    "SchemeInput",
    "TermsInput",
    "claim_approve",
    "claim_calculate",
    "claim_decline",
    "claim_document_add",
    "claim_pay",
    "claim_publicise",
    "claim_reject",
    "claim_submit",
    "claim_survey",
    "document_rule_set",
    "fund_settle",
    "premium_record",
    "scheme_create",
    "scheme_update",
    "terms_domain",
    "terms_set",
]
