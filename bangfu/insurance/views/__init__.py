"""Insurance pages (reads via selectors, writes via services): claims.py and schemes.py."""

from bangfu.insurance.views.claims import (
    claim_detail,
    claim_document,
    claim_document_file,
    claim_new,
    claim_queue,
    claim_step,
)
from bangfu.insurance.views.common import xlsx_response
from bangfu.insurance.views.schemes import (
    document_rule_add,
    fund_export,
    fund_page,
    fund_settle,
    premium_add,
    scheme_detail,
    scheme_edit,
    scheme_list,
    scheme_new,
    terms_add,
)

__all__ = [
    "claim_detail",
    "claim_document",
    "claim_document_file",
    "claim_new",
    "claim_queue",
    "claim_step",
    "document_rule_add",
    "fund_export",
    "fund_page",
    "fund_settle",
    "premium_add",
    "scheme_detail",
    "scheme_edit",
    "scheme_list",
    "scheme_new",
    "terms_add",
    "xlsx_response",
]
