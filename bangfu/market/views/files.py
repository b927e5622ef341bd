"""Files of the market module: product photos (uploaded by the enterprise, served through a view so
the catalogue works without DEBUG media serving) and the Excel exports of sales."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from bangfu.accounts.domain.roles import Cap, writes
from bangfu.accounts.http import AuthedHttpRequest
from bangfu.core import files, params
from bangfu.core.errors import NotFound, invalid
from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.core.replicas import replica_ok
from bangfu.core.views import page_on_get, post_message
from bangfu.market import selectors, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@page_on_get("market:product_detail")
@writes(Cap.MARKET_EDIT)
def photo_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.product_get(request.user, pk)

    def act() -> None:
        upload = request.FILES.get("photo")
        if upload is None:
            raise invalid("photo", "请选择图片文件", "Choose an image file")
        services.product_photo_set(actor=request.user, product=p, upload=upload)

    post_message(request, _("图片已上传"), act)
    return redirect("market:product_detail", pk=p.pk)


def photo(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """No login for catalogue products; other products only for those who see their enterprise.

    Only a catalogue photo may be kept by shared caches (an intranet proxy would otherwise hand a
    product under review to anybody who asks for the same address).
    """
    p, public = selectors.photo_product(request.user, pk)
    return files.serve(p.photo, filename=p.name, public=public)


def _year(request: HttpRequest) -> int:
    return params.year(request.GET)


def _workbook(export: selectors.SalesExport) -> bytes:
    """Sheets and columns in the reader's language; the values are labels already (no codes)."""

    def totals(name: str, title: str, data: dict[str, object]) -> SheetSpec:
        return SheetSpec(name, [title, _("金额(元)")], [(k, v) for k, v in data.items()])

    columns = [_(c) for c in selectors.SALES_COLUMNS]
    return write_workbook(
        [
            totals(_("按产品"), _("产品"), dict(export.by_product)),
            totals(_("按渠道"), _("渠道"), dict(export.by_channel)),
            totals(_("按活动"), _("活动"), dict(export.by_event)),
            totals(_("按月份"), _("月份"), dict(export.by_month)),
            SheetSpec(_("销售明细"), columns, [(r[0].isoformat(), *r[1:]) for r in export.rows]),
        ]
    )


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@replica_ok
def enterprise_sales_xlsx(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    year = _year(request)
    export = selectors.sales_export(request.user, year, enterprise_id=pk)
    return _xlsx(_workbook(export), f"sales-{pk}-{year}.xlsx")


@login_required
@replica_ok
def sales_xlsx(request: AuthedHttpRequest) -> HttpResponse:
    """All sales the user may see (the county's, a township's, or the enterprise user's own)."""
    if not selectors.sees_any_market(request.user):
        raise NotFound()
    year = _year(request)
    return _xlsx(_workbook(selectors.sales_export(request.user, year)), f"sales-{year}.xlsx")
