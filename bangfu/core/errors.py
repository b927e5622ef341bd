"""Application errors: raised by services and selectors, mapped in one place (middleware + API handler).

Every message comes in Chinese and English and says what is wrong and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bangfu.core.domain.workflow import StepRefused
from bangfu.core.i18n import in_language


@dataclass
class FieldProblem:
    field: str
    zh: str
    en: str
    row: int | None = None  # 1-based spreadsheet row (header is row 1) for imports

    @property
    def message(self) -> str:
        """In the reader's language (pages); the API sends both."""
        return in_language(self.zh, self.en)

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"field": self.field, "message": self.zh, "message_en": self.en}
        if self.row is not None:
            d["row"] = self.row
        return d


@dataclass
class ApplicationError(Exception):
    zh: str
    en: str
    code: str = "invalid"
    status: int = 400
    problems: list[FieldProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    @property
    def message(self) -> str:
        """In the reader's language (pages); the API sends both."""
        return in_language(self.zh, self.en)

    def as_problem(self) -> dict[str, object]:
        """RFC 9457 problem document, with our bilingual fields."""
        body: dict[str, object] = {
            "type": f"urn:bangfu:error:{self.code}",
            "title": self.en,
            "status": self.status,
            "detail": self.zh,
            "code": self.code,
            "message": self.zh,
            "message_en": self.en,
        }
        if self.problems:
            body["errors"] = [p.as_dict() for p in self.problems]
        return body


class NotFound(ApplicationError):
    """Also used when the object exists outside the actor's areas: no existence leak."""

    def __init__(self, zh: str = "未找到该记录，或您无权查看", en: str = "Not found, or not within your areas") -> None:
        super().__init__(zh=zh, en=en, code="not_found", status=404)


class Forbidden(ApplicationError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh=zh, en=en, code="forbidden", status=403)


class Conflict(ApplicationError):
    def __init__(self, zh: str, en: str, code: str = "conflict") -> None:
        super().__init__(zh=zh, en=en, code=code, status=409)


class MovedAway(Conflict):
    """The household of a queued action was moved to another grid or village (or its grid to another
    worker) since the phone synced: the worker no longer has it (docs/offline.md)."""

    def __init__(self, zh: str = "这项操作", en: str = "this action") -> None:
        super().__init__(
            zh=f"该户已调整到其他网格，不再由您负责，{zh}未保存；如需处理请联系村干部",
            en=f"This household was moved to another grid and is no longer yours; {en} was not saved. "
            "Contact the village cadre if it needs attention",
            code="moved_away",
        )


class ValidationFailed(ApplicationError):
    def __init__(
        self,
        problems: list[FieldProblem],
        zh: str = "提交的数据有误，请按提示修改",
        en: str = "Some fields are not valid; correct them as shown",
    ) -> None:
        super().__init__(zh=zh, en=en, code="validation", status=422, problems=problems)


def invalid(field_name: str, zh: str, en: str) -> ValidationFailed:
    return ValidationFailed([FieldProblem(field_name, zh, en)], zh=zh, en=en)


def refused(exc: StepRefused) -> ApplicationError:
    """The one HTTP answer to a refused workflow step, the same in every app, the API and the pages:
    a step out of order is 409 `invalid_step`, someone else's step 403 `forbidden`, unmet conditions
    422 `validation` with a problem beside each field (guard name) that needs attention."""
    if exc.code == "not_yours":
        return Forbidden(exc.zh, exc.en)
    if exc.code == "conditions":
        problems = [FieldProblem(name, zh, en) for name, zh, en in exc.problems]
        return ValidationFailed(problems, zh="；".join(p.zh for p in problems), en="; ".join(p.en for p in problems))
    return Conflict(exc.zh, exc.en, "invalid_step")
