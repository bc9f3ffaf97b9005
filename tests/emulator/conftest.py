"""Fixtures for testing the emulator itself over real HTTP."""

from __future__ import annotations

import pytest

from tests.helpers.phone_http import forms_login, new_http_session


@pytest.fixture
def http():
    session = new_http_session()
    yield session
    session.close()


@pytest.fixture
def admin(fresh_phones):
    """A forms-authenticated admin session on phone 0 (a GXV3370) of the fresh fleet."""
    session = forms_login(fresh_phones, 0)
    yield session
    session.close()
