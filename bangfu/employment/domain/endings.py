"""Why a labour contract or a welfare-post appointment ended: coded lists, so that ended jobs can be
counted by reason (a free text cannot be), and the months a shortened post still covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str
    needs_note: bool = False  # "other" says nothing by itself: the officer must write what happened


CONTRACT_END_REASONS: tuple[Reason, ...] = (
    Reason("resigned", "本人辞职", "resigned"),
    Reason("dismissed", "用人单位解除（辞退）", "dismissed"),
    Reason("expired", "合同期满", "contract expired"),
    Reason("agreed", "双方协商解除", "ended by agreement"),
    Reason("workshop_closed", "车间停产关闭", "workshop closed"),
    Reason("other", "其他", "other", needs_note=True),
)

POST_END_REASONS: tuple[Reason, ...] = (
    Reason("assessment_failed", "考核不合格", "failed the assessment"),
    Reason("over_age", "超过年龄上限", "over the age limit"),
    Reason("employed", "已实现其他就业", "found other work"),
    Reason("moved_away", "迁出本地", "moved away"),
    Reason("resigned", "本人申请退岗", "resigned"),
    Reason("other", "其他", "other", needs_note=True),
)


def choices(reasons: tuple[Reason, ...]) -> list[tuple[str, str]]:
    return [(r.code, r.zh) for r in reasons]


def find(reasons: tuple[Reason, ...], code: str) -> Reason | None:
    return next((r for r in reasons if r.code == code), None)


def listed(reasons: tuple[Reason, ...]) -> tuple[str, str]:
    """The list in both languages, for a message that says what may be chosen."""
    return "、".join(r.zh for r in reasons), ", ".join(f"{r.code} ({r.en})" for r in reasons)


def months_covered(start: dt.date, end: dt.date) -> int:
    """Calendar months touched by the days start..end inclusive (a post's pay is counted in months)."""
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)
