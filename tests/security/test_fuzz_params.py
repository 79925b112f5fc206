"""Hostile query strings on every list and export page and every admin changelist: never a 500.

The pages come from the URLconf and the admin registry, and the parameters from what each page
offers (the fields of its filter sets and of the GET forms aimed at it, `page` when it paginates;
an export takes its app's list parameters), so a new page or a new filter is fuzzed the day it is
wired. Each parameter, and one that no page knows, gets NUL, a 10,000-character value, negative,
zero and huge numbers, text where a number belongs, impossible dates and a repeated key — as an
administrator and as a police officer who is also given the admin site, so that the scoped admin is
fuzzed as well as the full one.
"""
import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.edit import ProcessFormView

# Framework and sign-in machinery; the admin is walked from its registry instead.
SKIP_PREFIXES = ("admin/", "i18n/", "accounts/", "healthz")
UNKNOWN = "zz_unknown"
HOSTILE = [
    "\x00", "ab\x00cd", "x" * 10_000, "9" * 10_000,
    "-5", "0", "99999", "99999999999999999999", "1e309", "NaN", "abc", "²",
    "0000-00-00", "9999-12-31", "01/01/0001", "31/02/2026",
]
REPEATED = ["1", "2"]
# A parameter no page knows matters only where the query string is copied (the audit log, links).
UNKNOWN_HOSTILE = ["\x00", "x" * 10_000]
# Page numbers: Django's paginators, and ours that stops counting across a province.
PAGE_HOSTILE = ["-5", "0", "99999", "99999999999999999999", "9" * 10_000, "abc", "²", "NaN"]
# The admin parses its own parameters, strictly: NUL in each filter; a few values in search, sort,
# page and the date drill-down; every kind of nonsense in the export's format.
ADMIN_HOSTILE = {"q": ["x" * 10_000, "²"], "o": ["abc", "99999"], "p": ["abc", "99999999999999999999"]}
ADMIN_DATE_HOSTILE = ["0", "9999", "99999", "99999999999999999999"]
EXPORT_FORMATS = ["0", "999", "-1", "abc", "\x00"]


def walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIP_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def is_list_or_export(pattern):
    """A page answering GET that is not the form of a record (those read POST, not the query string)."""
    view_class = getattr(pattern.callback, "view_class", None)
    return view_class is None or ("get" in view_class.http_method_names
                                  and not issubclass(view_class, ProcessFormView))


ROUTES = sorted(((route, pattern) for route, pattern in walk(get_resolver().url_patterns)
                 if is_list_or_export(pattern)), key=lambda item: item[0])


def path_of(route, pattern, arguments):
    """*route* with its path arguments taken from *arguments* ((url name, argument) → value), or None."""
    path = "/" + route
    for name in pattern.pattern.converters:
        if (pattern.name, name) not in arguments:
            return None
        path = re.sub(rf"<[a-z]+:{name}>", str(arguments[(pattern.name, name)]), path)
    return path


class GetForms(HTMLParser):
    """The field names of a page's GET forms, by the path each form submits to."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path, self.action, self.names = page_path, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.action = urlsplit(attrs.get("action") or self.page_path).path or self.page_path
        elif tag in ("input", "select", "textarea") and self.action and attrs.get("name"):
            self.names.setdefault(self.action, set()).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.action = None


def filterset_names(response):
    """The parameters of the page's filter sets."""
    names = set()
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, django_filters.FilterSet):
                form = value.form
                for name, field in form.fields.items():
                    widget = field.widget
                    suffixes = widget.widgets_names if isinstance(widget, forms.MultiWidget) else [""]
                    names.update(form.add_prefix(name) + suffix for suffix in suffixes)
    return names


def paginates(response):
    return any(context.get("page_obj") is not None for context in response.context or [])


def known_parameters(client, paths):
    """{path: (filter set parameters, other parameters)} read from each page as *client*'s user sees it."""
    filters, others = {}, {}
    for route, path in paths.items():
        response = client.get(path)
        if response.status_code != 200:
            continue  # a page the role may not use: its refusal is tested in test_url_matrix
        filters.setdefault(path, set()).update(filterset_names(response))
        if paginates(response):
            others.setdefault(path, set()).add("page")
        if response.get("Content-Type", "").startswith("text/html"):
            parser = GetForms(path)
            parser.feed(response.content.decode())
            for action, names in parser.names.items():
                others.setdefault(action, set()).update(names)
    by_app = {}
    for route, path in paths.items():
        by_app.setdefault(route.split("/", 1)[0], set()).update(filters.get(path, ()))
    for route, path in paths.items():
        if "export" in route or route.endswith(".xlsx"):
            filters[path] = filters.get(path, set()) | by_app[route.split("/", 1)[0]]
        others[path] = others.get(path, set()) - filters.get(path, set())
    return filters, others


def hostile_queries(filters, others):
    """Every hostile value in every parameter.

    A filter set validates each of its fields alone and filters by the valid ones, so its parameters
    take each value together, in one request. Any other parameter may end the request early (a bad
    page number is a 404 before the filters run), so each of those takes each value alone.
    """
    if filters:
        for value in HOSTILE:
            yield {name: value for name in filters}
        yield {name: REPEATED for name in filters}
    for name in sorted(others):
        for value in PAGE_HOSTILE if name == "page" else HOSTILE:
            yield {name: value}
        yield {name: REPEATED}
    for value in UNKNOWN_HOSTILE:
        yield {UNKNOWN: value}


def shown(query):
    return {key: (value if len(str(value)) < 30 else f"{str(value)[:10]}…({len(str(value))} chars)")
            for key, value in query.items()}


def fuzz(client, path, queries, method="get"):
    """The requests of *queries* that answered 500, with the exception each raised."""
    problems = []
    for query in queries:
        response = getattr(client, method)(path, query)
        if response.status_code >= 500:
            error = response.exc_info[1] if getattr(response, "exc_info", None) else ""
            problems.append(f"{method.upper()} {path} {shown(query)}: {response.status_code} "
                            f"{type(error).__name__}: {error}"[:400])
            if connection.needs_rollback:
                # The test's transaction is broken: every later request would fail for that reason.
                problems.append("(the database transaction broke here: later requests were not sent)")
                raise Broken(problems)
    return problems


class Broken(Exception):
    pass


@pytest.fixture
def world(ward, khom, admin_user):
    """One record of each kind in ward A, so lists have rows; the path arguments of exports that take one."""
    from apps.criteria.choices import CriteriaScope
    from apps.criteria.services import assessment_create
    from tests.factories.activities import ActivityFactory, CommitmentSigningFactory, ReintegrationModelFactory
    from tests.factories.cases import CaseFactory, HotspotFactory
    from tests.factories.criteria import seeded_set
    from tests.factories.reports import ReportFactory
    from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory

    person = PersonFactory(khom=khom, cccd="089090123456", date_of_birth=dt.date(1990, 5, 17))
    EpisodeFactory(person=person)
    DrugTestFactory(person=person)
    CaseFactory(khom=khom)
    HotspotFactory(khom=khom)
    ActivityFactory(khom=khom)
    CommitmentSigningFactory(khom=khom)
    ReintegrationModelFactory(khom=khom)
    report = ReportFactory(ward=ward)
    assessment_create(user=admin_user, data={"criteria_set": seeded_set(CriteriaScope.KHOM), "year": 2025, "khom": khom})
    return {("export", "pk"): report.pk, ("template", "kind"): "persons"}


@pytest.fixture(params=["administrator", "police"])
def fuzzer(request, world, admin_user, police):
    """A client that keeps going after a 500, as an administrator or as a police officer with the admin site."""
    user = admin_user if request.param == "administrator" else police
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def run(problems, client, path, queries, method="get"):
    """fuzz(), adding what it found to *problems*; False when the database transaction broke."""
    try:
        problems += fuzz(client, path, queries, method)
    except Broken as broken:
        problems += broken.args[0]
        return False
    return True


@pytest.mark.django_db
def test_no_list_or_export_page_answers_a_hostile_query_string_with_a_500(fuzzer, world):
    paths = {route: path for route, pattern in ROUTES if (path := path_of(route, pattern, world)) is not None}
    filters, others = known_parameters(fuzzer, paths)
    problems = []
    for path in paths.values():
        if not run(problems, fuzzer, path, hostile_queries(filters.get(path), others.get(path, ()))):
            break
    assert not problems, f"{len(problems)} answers of 500:\n" + "\n".join(problems)
    assert len(paths) > 15 and sum(map(len, filters.values())) > 30, "the walk found almost nothing to fuzz"


@pytest.mark.django_db
def test_no_admin_changelist_or_export_answers_a_hostile_query_string_with_a_500(fuzzer):
    problems, changelists = [], 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = fuzzer.get(changelist)
        if response.status_code != 200:
            continue  # a model the user may not see in the admin
        changelists += 1
        cl = response.context["cl"]
        filters = sorted({name for spec in cl.filter_specs for name in spec.expected_parameters()})
        queries = [{name: "\x00"} for name in [*filters, *ADMIN_HOSTILE, UNKNOWN]]
        queries += [{name: value} for name, values in ADMIN_HOSTILE.items() for value in values]
        if cl.date_hierarchy:
            year, month, day = (f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day"))
            queries += [{year: value} for value in ADMIN_DATE_HOSTILE]
            queries += [{year: "2026", month: value, day: value} for value in ADMIN_DATE_HOSTILE]
            queries.append({year: "9999", month: "12", day: "31"})
        steps = [(changelist, queries, "get")]
        if hasattr(model_admin, "export_action"):
            export = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
            formats = [{"format": value} for value in EXPORT_FORMATS]
            steps.append((export, formats + [{name: "\x00"} for name in filters], "get"))
            steps.append((export, [{**query, "resource": "0"} for query in formats], "post"))
        if not all(run(problems, fuzzer, *step) for step in steps):
            break
    assert not problems, f"{len(problems)} answers of 500:\n" + "\n".join(problems)
    assert changelists > 5, "the admin registry gave almost nothing to fuzz"
