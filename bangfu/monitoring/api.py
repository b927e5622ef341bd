"""JSON API of monitoring, mounted under /api/v1/ by bangfu/api.py."""

from ninja import Router

router = Router(tags=["monitoring"])
