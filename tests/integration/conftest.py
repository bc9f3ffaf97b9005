"""tests/integration runs every test that starts phones once per firmware dialect (issue #16 item 5).

`dialect` (session scope, so pytest groups the tests by it and each module starts its fleet once per dialect)
overrides the guide-only default of tests/conftest.py; `emulator_fixtures()` without `firmware` and tests
that start `EmulatorProcess(firmware=dialect)` themselves follow it. Test ids end in ``[guide]`` / ``[current]``.

- ``@pytest.mark.dialect("guide", reason=...)``: a test about one dialect's own requests is skipped on the
  other, with the reason in the report (never silently).
- ``pytest --dialect guide`` (or ``current``) runs one dialect only: ``make matrix-ends`` (tools/matrix.py)
  repeats tests/integration on other ansible-core releases with the guide dialect to stay in CI's budget;
  the mixed-fleet tests (test_mixed_fleet.py, firmware="mixed") still put current phones in every row.
"""

from __future__ import annotations

import pytest

from tests.helpers.emulator_proc import DIALECTS


@pytest.fixture(scope="session", params=DIALECTS)
def dialect(request):
    return request.param


def pytest_collection_modifyitems(config, items):
    chosen = config.getoption("--dialect") or DIALECTS
    kept, dropped = [], []
    for item in items:
        case_dialect = getattr(item, "callspec", None) and item.callspec.params.get("dialect")
        if case_dialect and case_dialect not in chosen:
            dropped.append(item)
            continue
        kept.append(item)
        only = item.get_closest_marker("dialect")
        if only is not None and case_dialect and case_dialect != only.args[0]:
            item.add_marker(pytest.mark.skip(reason="%s-dialect test: %s" % (only.args[0], only.kwargs["reason"])))
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
