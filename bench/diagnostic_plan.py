"""Action plan benchmark (issue #14): results + plan of a completed diagnostic.

With the real catalogue (``import_tools``) and the three real hub files (``import_places``)
loaded, in a throw-away test database on the current DATABASE_URL (SQLite by default), a
diagnostic is completed in Charente with weak answers everywhere (every rule can hold), then
what the results page computes is timed: the structure, the answers, the scores and the plan
with its resources from every registered provider. Prints p50/p95/max (ms) over 100 runs, with
the CPU time of the process (p50/p95: the figure load does not inflate) and the load average,
twice: "cold" (Django's cache emptied before each run: every provider is asked, as for the
first diagnostic of a department, sector and size since the content last changed) and "warm"
(what providers found is reused while the content version holds). The cache is the
production one (``DatabaseCache``) and the page cache is on as in production (the content
version is what the resources are keyed on). Before the figures, the queries of one run, by
table (``CaptureQueriesContext``). Target: p95 ≤ 50 ms on SQLite and PostgreSQL.
Not a test: figures only.
"""

import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
os.environ.setdefault("RESSOURCERIE_ENV", "test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("SQLITE_TEST_NAME", str(Path(_tmp.name) / "bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)

from ressourcerie.core.models import Department  # noqa: E402
from ressourcerie.diagnostic import engine, selectors, services  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 100))
HUBS = ROOT / "tests" / "fixtures" / "mediation-numerique"
HUB_FILES = [
    "2021-hinaura-auvergne-rhone-alpes.json",
    "2023-05-17-hub-du-sud-provence-alpes-cote-d-azur.json",
    "2023-07-11-charente-nouvelle-aquitaine.json",
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def weak_answers(structure):
    answers = {}
    for question in structure.questions.values():
        if question.kind == "scale":
            answers[question.id] = engine.AnswerValue((), question.scale_min)
        else:
            known = sorted((o for o in question.options if not o.is_unknown), key=lambda o: o.score)
            answers[question.id] = engine.AnswerValue((known[0].id,))
    return engine.visible_answers(structure, answers)


def completed_response():
    questionnaire = selectors.published_questionnaire()
    structure = selectors.structure(questionnaire)
    response, _token = services.start_response(
        questionnaire=questionnaire, department=Department.objects.get(code="16")
    )
    services.save_answers(
        response=response,
        structure=structure,
        questions=list(structure.questions.values()),
        answers=weak_answers(structure),
    )
    services.complete_response(response=response, structure=structure)
    return response


def results_and_plan(response):
    structure = selectors.structure(response.questionnaire)
    answers = selectors.answers_of(response)
    scores = engine.compute_scores(structure, answers)
    return selectors.plan_for(response, structure, scores, answers)


def timed(response, *, cold: bool) -> tuple[list[float], list[float]]:
    """Wall and CPU (``time.process_time``: this process only, what load does not inflate)
    milliseconds of each run."""
    wall, cpu = [], []
    for _run in range(RUNS):
        if cold:
            cache.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        results_and_plan(response)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def queries(response, *, cold: bool) -> str:
    """How many queries one run makes, by table (the profile behind the figures)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        results_and_plan(response)
    tables: dict[str, int] = {}
    for query in captured.captured_queries:
        found = re.search(r'FROM\s+"?(\w+)', query["sql"])
        name = found.group(1) if found else query["sql"][:20]
        tables[name] = tables.get(name, 0) + 1
    detail = ", ".join(f"{n} {t}" for t, n in sorted(tables.items(), key=lambda i: -i[1]))
    return f"{len(captured.captured_queries)} queries ({detail})"


def profile(response) -> None:
    """``BENCH_PROFILE=1``: where 20 cold runs spend their time (cProfile, top 25)."""
    profiler = cProfile.Profile()
    for _run in range(20):
        cache.clear()
        profiler.enable()
        results_and_plan(response)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def show(label, figures):
    wall, cpu = figures
    print(
        f"  {label:5} p50 {statistics.median(wall):6.2f} ms   p95 {percentile(wall, 95):6.2f} ms"
        f"   max {max(wall):6.2f} ms   (target p95 ≤ 50 ms)   CPU p50 "
        f"{statistics.median(cpu):6.2f} ms   p95 {percentile(cpu, 95):6.2f} ms"
    )


@override_settings(
    PAGE_CACHE_SECONDS=600,  # production: the resources are shared per content version
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache",
        }
    },
)
def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        call_command("createcachetable", verbosity=0)
        call_command("load_territories", verbosity=0)
        call_command("import_tools", quiet_rows=True, verbosity=0)
        for name in HUB_FILES:
            call_command("import_places", str(HUBS / name), verbosity=0)
        call_command("load_questionnaire", verbosity=0)
        response = completed_response()
        print(f"{connection.vendor}: data loaded in {time.perf_counter() - start:.1f} s")
        plan = results_and_plan(response)  # warm up
        resources = sum(len(a.resources) for a in plan.actions)
        print(
            f"  results + plan ({len(plan.actions)} actions, {resources} resources, "
            f"{sum(len(g.actions) for g in plan.further)} further), {RUNS} runs each:"
        )
        print(f"  cold: {queries(response, cold=True)}")
        print(f"  warm: {queries(response, cold=False)}")
        if os.environ.get("BENCH_PROFILE"):
            profile(response)
        show("cold", timed(response, cold=True))
        show("warm", timed(response, cold=False))
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
