"""Casework settings parsed at the edge (the settings page's form and the API's body), with core.inputs:
the services then take typed values (`ParamValues`) and check only their own rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Field
from django.utils import translation

from bangfu.casework.models import CaseParameters
from bangfu.casework.services import ParamValues
from bangfu.core.inputs import Problems

# The editable fields, in the model's order: labels come from the model, so the page never drifts.
PARAM_FIELDS: list[Field[Any, Any]] = [
    f for f in CaseParameters._meta.fields if f.name not in {"id", "area", "effective_from", "effective_to"}
]
_BY_NAME = {f.name: f for f in PARAM_FIELDS}


def param_values(raw: Mapping[str, Any]) -> ParamValues:
    """The parameters given (a form sends every field, an API body those it sets): a switch is on for
    "1" or true, a number is a whole number; every problem at once, each beside its field."""
    values: dict[str, Any] = {}
    with Problems() as p:
        for name in sorted(set(raw) - set(_BY_NAME)):
            p.add(name, "未知参数", "unknown parameter")
        for name, value in raw.items():
            f = _BY_NAME.get(name)
            if f is None:
                continue
            if f.get_internal_type() == "BooleanField":
                values[name] = value is True or value == 1 or value == "1"
            elif isinstance(value, int) and not isinstance(value, bool):
                values[name] = value
            elif isinstance(value, str) and value.strip().isdigit():
                values[name] = int(value)
            else:
                with translation.override("zh-hans"):
                    zh = f"“{f.verbose_name}”须为整数"
                with translation.override("en"):
                    en = f"“{f.verbose_name}” must be a whole number"
                p.add(name, zh, en)
    return ParamValues(**values)
