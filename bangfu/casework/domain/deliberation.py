"""The village's democratic deliberation (民主评议): its result and the vote behind it, checked.

The minutes say what was discussed; the vote says what was decided, by how many of how many. A
result that contradicts the vote (通过 without a majority of those present) is refused, so the record
the county reads cannot say two things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bangfu.core.domain import inputs
from bangfu.core.domain.text import gettext_noop as _
from bangfu.core.errors import FieldProblem, ValidationFailed

RESULTS: dict[str, str] = {"passed": _("通过"), "failed": _("不通过")}
MAX_PRESENT = 500  # a village assembly; more is a typing mistake


@dataclass(frozen=True)
class Vote:
    result: str  # a key of RESULTS
    present: int
    votes_for: int
    votes_against: int

    @property
    def abstained(self) -> int:
        return self.present - self.votes_for - self.votes_against

    def as_data(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "present": self.present,
            "for": self.votes_for,
            "against": self.votes_against,
        }


def vote_of(data: dict[str, Any]) -> Vote | None:
    """A stored vote back (None when the deliberation predates votes)."""
    if not data or data.get("result") not in RESULTS:
        return None
    return Vote(str(data["result"]), int(data["present"]), int(data["for"]), int(data["against"]))


def parse_vote(result: Any, present: Any, votes_for: Any, votes_against: Any) -> Vote:
    """The vote from the form's four fields, every problem beside its field."""
    problems: list[FieldProblem] = []
    r = str(result or "").strip()
    if r not in RESULTS:
        problems.append(FieldProblem("vote_result", "请选择评议结果：通过或不通过", "Choose the result: passed or not"))
    counts: dict[str, int] = {}
    for field, value, zh, en in (
        ("present", present, "参会人数", "the number present"),
        ("votes_for", votes_for, "同意票数", "the votes for"),
        ("votes_against", votes_against, "反对票数", "the votes against"),
    ):
        if value is None or str(value).strip() == "":
            problems.append(FieldProblem(field, f"请填写{zh}", f"Enter {en}"))
            continue
        try:
            counts[field] = inputs.count(
                value, field, low=1 if field == "present" else 0, high=MAX_PRESENT, zh=zh, en=en
            )
        except ValidationFailed as exc:
            problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    vote = Vote(r, counts["present"], counts["votes_for"], counts["votes_against"])
    if vote.votes_for + vote.votes_against > vote.present:
        raise ValidationFailed(
            [
                FieldProblem(
                    "votes_for", "同意票与反对票之和超过参会人数", "The votes for and against exceed those present"
                )
            ]
        )
    majority = vote.votes_for * 2 > vote.present
    if (vote.result == "passed") != majority:
        zh = "同意票未过参会人数半数，结果应为“不通过”" if not majority else "同意票已过参会人数半数，结果应为“通过”"
        en = (
            "Fewer than half of those present voted for: the result is 'not passed'"
            if not majority
            else "More than half of those present voted for: the result is 'passed'"
        )
        raise ValidationFailed([FieldProblem("vote_result", zh, en)])
    return vote
