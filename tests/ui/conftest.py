"""UI test hooks: no background job outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Before the fixtures' teardown closes the in-memory database (one connection): a job
    # still reading it then would use it from two threads.
    yield
    from ui.gui.tasks import wait_all

    wait_all()
