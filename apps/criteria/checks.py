"""Deployment check: every indicator code a criterion stores in the database is registered.

Criteria are data (an administrator edits them), so their codes live in rows,
not in code the indicators check (indicators.E001) can see. This check reads
those rows. It is a deployment check (``manage.py check --deploy``, which the
deployment runs after ``migrate``) rather than a ``database`` one: Django runs
database checks before ``migrate`` applies anything, so a data migration that
renames a code could never run past a criterion still holding the old one.
Without a database or before the tables exist there are no rows to check.
"""
from django.core import checks
from django.db import DatabaseError

UNREGISTERED_CRITERION_CODE = "criteria.E001"


@checks.register("indicators", deploy=True)
def check_criterion_codes(app_configs=None, **kwargs):
    """An Error for each computed criterion whose indicator code no app registers."""
    from apps.indicators import registry

    from .models import Criterion

    try:
        rows = list(Criterion.objects.exclude(indicator="").exclude(indicator__in=list(registry.REGISTRY))
                    .order_by("criteria_set__code", "criteria_set__version", "order", "code")
                    .values_list("criteria_set__code", "criteria_set__version", "code", "indicator"))
    except DatabaseError:
        return []
    return [
        checks.Error(
            f"Criterion {code} of the set {set_code} v{version} reads the indicator “{indicator}”, which no app registers.",
            hint="Correct the criterion in the admin (or with a data migration), or register the indicator.",
            obj=f"criteria.Criterion {set_code} v{version} {code}", id=UNREGISTERED_CRITERION_CODE,
        )
        for set_code, version, code, indicator in rows
    ]
