"""Where the browser suite's time goes (docs/performance.md), as a pytest plugin:

    DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest -m browser tests/browser \\
        -p tests.browser.profile_plugin --durations=30 -q -k "<subset>" -n 0

prints, after the run, the seconds spent in pytest's setup (fixtures, the live server's
database), in the test bodies, and in teardown (the flush after each test); and within
the bodies, in the pages' data setups (pages.PAGES), the first visit with its measure,
and axe-core (test_pages.py). Timing only: no assertion changes. In one process (``-n 0``):
under xdist the timings stay in the workers.
"""

from __future__ import annotations

import functools
import sys
import time
from collections import Counter

import pytest

SECONDS: Counter = Counter()
SETUPS: Counter = Counter()  # seconds per page setup (its function's name)
CALLS: Counter = Counter()


def _timed(label, func, detail=None):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            SECONDS[label] += spent
            if detail is not None:
                SETUPS[detail] += spent
                CALLS[detail] += 1

    return wrapper


def _phase(label):
    @pytest.hookimpl(wrapper=True)
    def hook(item):
        started = time.perf_counter()
        try:
            return (yield)
        finally:
            SECONDS[label] += time.perf_counter() - started

    return hook


pytest_runtest_setup = _phase("pytest setup (fixtures, database)")
pytest_runtest_call = _phase("test bodies")
pytest_runtest_teardown = _phase("pytest teardown (flush)")


def pytest_collection_finish(session):
    pages = sys.modules.get("tests.browser.pages")
    if pages is not None:
        for spec in pages.PAGES:
            if spec.setup is not None:
                # Page is frozen: its setup is swapped for a timed one for this run only.
                object.__setattr__(
                    spec,
                    "setup",
                    _timed("  in bodies: page data setups", spec.setup, spec.setup.__name__),
                )
    test_pages = sys.modules.get("tests.browser.test_pages")
    if test_pages is not None:
        test_pages.run_axe = _timed("  in bodies: axe-core", test_pages.run_axe)
        test_pages.measure_first_visit = _timed(
            "  in bodies: first visit and its measure", test_pages.measure_first_visit
        )


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section("where the time went (profile_plugin)")
    for label, seconds in sorted(SECONDS.items(), key=lambda item: item[0].startswith(" ")):
        terminalreporter.write_line(f"{label:<45} {seconds:8.1f} s")
    for name, seconds in SETUPS.most_common():
        terminalreporter.write_line(f"    setup {name:<37} {seconds:8.1f} s in {CALLS[name]} calls")
