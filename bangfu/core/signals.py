"""Signals of core: told by any app, heard by any app (core imports none of them)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writing transaction by set-wise writes whose rows carry no audit event of their own
# area (an import's households, screening's new warnings, a household's old village after a move):
# `codes` are the 12-digit area codes whose indicator figures they changed. analytics marks them for
# the incremental refresh (audited writes are marked through their AuditEvent's area code).
areas_changed = Signal()
