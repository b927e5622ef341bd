"""Shared pytest fixtures (see bangfu/core/testing.py for the test county)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("BANGFU_VAR", os.path.join(os.path.dirname(__file__), "var", "test"))


@pytest.fixture
def world(db):  # noqa: ANN001
    from bangfu.core.testing import world as build

    return build()


@pytest.fixture
def client_for(client):  # noqa: ANN001
    """client_for(user) → a Django test client logged in as that user."""
    from django.test import Client

    def make(user):  # noqa: ANN001
        c = Client()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make


@pytest.fixture
def api_for(db):  # noqa: ANN001
    """api_for(user) → a client sending that user's Bearer token (as an integrator would)."""
    from django.test import Client

    from bangfu.accounts import services

    def make(user):  # noqa: ANN001
        token = services.token_create(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make
