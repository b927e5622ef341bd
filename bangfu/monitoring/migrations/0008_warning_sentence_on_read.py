"""A warning's sentence is made on read, not stored (schema decision of issue #18, monitoring/README.md
"The warnings table"): forwards the column goes, and a stored sentence that the function the readers use
(monitoring.domain.sentence) would write otherwise is kept in `sentence_kept`; backwards the column is
written again for every warning, from `sentence_kept` or that function, so nothing is lost either way."""

from typing import Any

from django.db import migrations, models

from bangfu.monitoring.domain import recurrence
from bangfu.monitoring.domain.sentence import sentence

BATCH = 2000


def _decided(w: Any) -> recurrence.Decided:
    """As `Warning.decided` (historical models have no methods)."""
    source = recurrence.Source(w.source_row, w.source_amount, w.source_year)
    return recurrence.Decided(w.pk, w.status, w.decided_on or w.as_of, source)


def keep_differing(apps: Any, schema_editor: Any) -> None:
    """Forwards: each stored sentence the one made on read would not repeat word for word is kept."""
    _each_batch(apps, "sentence_kept", lambda w, made: w.explanation if w.explanation != made else None)


def write_sentences(apps: Any, schema_editor: Any) -> None:
    """Backwards: the column holds each warning's sentence again, the kept one where there is one."""
    _each_batch(apps, "explanation", lambda w, made: w.sentence_kept or made)


def _each_batch(apps: Any, field: str, value: Any) -> None:
    """Sets `field` of every warning to `value(warning, the sentence made on read)`, 2,000 at a time."""
    warning = apps.get_model("monitoring", "Warning")
    rules = apps.get_model("rules", "Rule").objects.select_related("ruleset")
    terms = {(r.ruleset_id, r.code): (r.when, r.ruleset.params) for r in rules}
    before_ids = warning.objects.exclude(previous_id=None).values("previous_id")
    before = {w.pk: _decided(w) for w in warning.objects.filter(pk__in=before_ids)}
    pks = list(warning.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):  # by pk, not a cursor open on the table being updated
        rows = list(warning.objects.filter(pk__in=pks[start : start + BATCH]))
        for w in rows:
            when, params = terms.get((w.ruleset_id, w.rule_code), (None, {}))
            came_back = None
            if w.previous_id in before:
                now = recurrence.Source(w.source_row, w.source_amount, w.source_year)
                came_back = (now, before[w.previous_id], w.as_of)
            setattr(w, field, value(w, sentence(when, params, w.facts, w.thresholds, came_back)))
        warning.objects.bulk_update(rows, [field])


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_warning_facts_as_text"),
        ("rules", "0002_money_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="warning",
            name="sentence_kept",
            field=models.TextField(blank=True, editable=False, null=True),
        ),
        # a default first, so that going back can add the column to a table that has rows
        migrations.AlterField(model_name="warning", name="explanation", field=models.TextField("说明", default="")),
        migrations.RunPython(keep_differing, write_sentences),
        migrations.RemoveField(model_name="warning", name="explanation"),
    ]
