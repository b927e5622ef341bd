"""JSON API of employment, mounted under /api/v1/ by bangfu/api.py."""

from ninja import Router

router = Router(tags=["employment"])
