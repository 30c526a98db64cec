"""Hostile values in every query-string parameter of every HTML view never answer 5xx.

The parameters are read from the code, not listed by hand: for each URL pattern, the source
of its view (and of the functions of its module that it calls) is parsed for
``request.GET.get("x")``, ``request.GET["x"]``, ``request.GET.getlist("x")``,
``"x" in request.GET``, a helper given ``request.GET`` and a name, and forms bound to
``request.GET`` (their fields). Each URL is then requested as the roles that open it
(``tests/access_matrix.py``), with objects of ``tests/access_world.py`` in its path.
"""

import ast
import inspect
import textwrap

import pytest
from django import forms
from django.test import Client

from tests import access_matrix as table
from tests.access_world import world_for_module
from tests.urlconf_walk import routes, view_function

pytestmark = pytest.mark.django_db

HOSTILE = [
    "abc",
    "-1",
    "1e3",
    "9" * 30,
    "NaN",
    "inf",
    "",
    "x" * 5000,
    "é",
    "\u202e",  # right-to-left override
    "🦊",
    "\ufffe",  # a non-character
]
# The values are sent as the first two of these roles that the access table lets open the
# page (a public page as a visitor and a signed-in member; a team page as a moderator and a
# staff account; the workshop as a refurbisher): every parameter alone as the first, all of
# them at once as both.
FUZZ_ROLES = ("anonymous", "member_other", "refurbisher_other_area", "moderator", "staff")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


# --- reading the parameters from the code ----------------------------------------------------
def _is_get(node) -> bool:
    """``<anything>.GET``: ``request.GET``, ``self.request.GET``, ``context["request"].GET``."""
    return isinstance(node, ast.Attribute) and node.attr == "GET"


def _const(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _form_fields(name, namespace) -> set[str]:
    form_class = namespace.get(name)
    if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
        return set(form_class.base_fields)
    raise AssertionError(f"{name} is bound to request.GET but is not a form class I can read")


def _parameters_in(function, seen: set) -> set[str]:
    """Query-string names read by ``function`` and by the functions of its own module (and
    of its class, for a class-based view) that it calls."""
    if function in seen:
        return set()
    seen.add(function)
    source = textwrap.dedent(inspect.getsource(function))
    module = inspect.getmodule(function)
    namespace = vars(module) if module else {}
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            # request.GET.get("x"), .getlist("x"), .pop("x")
            if (
                isinstance(func, ast.Attribute)
                and _is_get(func.value)
                and node.args
                and (name := _const(node.args[0])) is not None
            ):
                found.add(name)
            args = list(node.args) + [k.value for k in node.keywords]
            bound = any(
                _is_get(a) or (isinstance(a, ast.BoolOp) and any(_is_get(v) for v in a.values))
                for a in args
            )
            if bound:
                # A helper given request.GET and a name, or a form bound to request.GET.
                names = [_const(a) for a in node.args if _const(a) is not None]
                found.update(names)
                if not names and isinstance(func, ast.Name):
                    found.update(_form_fields(func.id, namespace))
            # Follow calls to functions of the same module.
            if isinstance(func, ast.Name):
                target = namespace.get(func.id)
                if inspect.isfunction(target) and target.__module__ == function.__module__:
                    found |= _parameters_in(target, seen)
        elif isinstance(node, ast.Subscript) and _is_get(node.value):
            if (name := _const(node.slice)) is not None:
                found.add(name)  # request.GET["x"]
        elif (
            isinstance(node, ast.Compare)
            and any(_is_get(c) for c in node.comparators)
            and (name := _const(node.left)) is not None
        ):
            found.add(name)  # "x" in request.GET
    return found


def view_parameters(callback) -> set[str]:
    view = view_function(callback)
    if not inspect.isfunction(view) and not inspect.isclass(view):
        view = type(view)  # a callable instance (a syndication Feed)
    if inspect.isclass(view):
        found = set()
        for klass in view.__mro__:
            if klass.__module__.startswith("ressourcerie."):
                found |= _parameters_in(klass, set())
        return found
    return _parameters_in(view, set())


def html_views():
    """(URL key, parameters) of every HTML view (API operations are fuzzed by schemathesis,
    the Django admin is Django's). A view whose source cannot be read fails."""
    views, unreadable = [], []
    for route in routes():
        if route.is_api_operation or route.is_admin:
            continue
        try:
            views.append((route.key, view_parameters(route.callback)))
        except (OSError, TypeError) as exc:
            unreadable.append(f"{route.key}: {exc}")
    assert not unreadable, f"Cannot read the source of these views: {unreadable}"
    return views


# --- the tests -------------------------------------------------------------------------------
def test_reads_the_parameters_of_known_views():
    """The reader finds what the code reads (a check that it can fail)."""
    found = dict(html_views())
    assert "structure" in found["donations:workshop"]  # request.GET.get(...)
    assert {"q", "equipment"} <= found["donations:dropoff"]  # a form bound to request.GET
    assert {"q", "type", "page"} <= found["core:search"]
    assert "page" in found["toolbox:index"]


def test_every_view_with_parameters_is_opened_by_a_role():
    unreachable = [
        f"{key} ({', '.join(sorted(params))})"
        for key, params in html_views()
        if params and not _roles_for(key)
    ]
    assert not unreachable, (
        "These views read query parameters but no role of the access table opens them, so "
        f"their parameters are never exercised: {unreachable}"
    )


def _roles_for(key) -> list[str]:
    answers = table.HTML[key].get
    roles = [role for role in FUZZ_ROLES if answers[role] == "200"]
    return (roles or [role for role, answer in answers.items() if answer == "200"])[:2]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: ascii(v[:8]) + f"-{len(v)}")
def test_no_query_value_answers_5xx(world, value):
    clients = {}
    for role in FUZZ_ROLES:
        clients[role] = Client(raise_request_exception=False)  # a 500 is reported, not raised
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    failures = []
    for key, params in html_views():
        if not params:
            continue
        url = table.HTML[key].url(world)
        first, *others = _roles_for(key)
        requests = [(first, {name: value}) for name in sorted(params)]
        requests += [(role, dict.fromkeys(params, value)) for role in [first, *others]]
        for role, query in requests:
            response = clients[role].get(url, query)
            if response.status_code >= 500:
                failures.append(f"{key}: GET {url} with {sorted(query)} as {role}")
    assert not failures, f"{len(failures)} answers 5xx to {value[:20]!r}:\n" + "\n".join(failures)


def test_a_bad_structure_in_the_workshop_shows_ones_own_first_workshop(client, world):
    """F8: ``/dons/atelier/?structure=abc`` answered 500 (the raw value went to a query)."""
    client.force_login(world.users["refurbisher_other_area"])
    for value in ("abc", "1e3", "9" * 30, str(world.workshop.pk)):  # the last: not theirs
        response = client.get("/dons/atelier/", {"structure": value})
        assert response.status_code == 200, value
        assert response.context["organisation"] == world.far_workshop, value
