"""The warnings list as a workbook (core.excel: its data sheet first, the lists sheet hidden and last):
the rows the page lists, every value by its label in the reader's language, never a stored code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.core.i18n import in_language

if TYPE_CHECKING:
    from bangfu.monitoring.models import Warning


def _columns() -> list[str]:
    return [
        _("户编号"),
        _("户主"),
        _("乡镇"),
        _("村"),
        _("网格"),
        _("预警"),
        _("风险类别"),
        _("说明"),
        _("状态"),
        _("核实人"),
        _("评估日期"),
        _("决定日期"),
    ]


def warnings_workbook(rows: Iterable[Warning], names: dict[str, str]) -> bytes:
    """`names`: village and township codes, and `grid:<id>`, to their names (selectors.place_names)."""
    columns = _columns()
    body: list[Sequence[Any]] = [
        [
            w.household.number,
            w.household.head_name,
            names.get(w.village_code[:9].ljust(12, "0"), ""),
            names.get(w.village_code, ""),
            names.get(f"grid:{w.grid_id}", ""),
            in_language(w.rule["zh"], w.rule["en"]),
            _(w.risk),
            w.sentence,
            _(w.state_label),
            str(w.assigned_to or ""),
            w.as_of.isoformat(),
            w.decided_on.isoformat() if w.decided_on else "",
        ]
        for w in rows
    ]
    sheet = SheetSpec(
        name=_("预警清单"),
        columns=columns,
        rows=body,
        text_columns={columns[0]},
        widths={columns[0]: 20, columns[7]: 60},
    )
    return write_workbook([sheet])
