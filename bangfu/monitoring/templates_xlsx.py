"""Downloadable Excel templates for the department feeds (dropdowns for coded columns)."""

from __future__ import annotations

from bangfu.core.excel import SheetSpec, write_workbook
from bangfu.monitoring.domain.feeds import ID, SPECS
from bangfu.monitoring.services import feed_spec


def template_bytes(kind: str) -> bytes:
    spec = feed_spec(kind)
    sheet = SheetSpec(
        name=spec.zh,
        columns=spec.columns,
        text_columns={ID, spec.date_column, *spec.optional_dates},
        choices={c: list(v) for c, v in spec.choices.items()},
        widths={ID: 22},
    )
    return write_workbook([sheet])


KINDS = list(SPECS)
