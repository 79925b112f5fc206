"""System check: every indicator code a module names (reports, dashboard, roadmap) is registered.

It runs with every management command that checks (``check``, ``runserver``,
``migrate``) and needs no database. The codes criteria store in the database
are checked by the criteria app (criteria.E001, a deployment check).
"""
from django.core import checks

from . import registry

UNREGISTERED_CODE = "indicators.E001"


@checks.register("indicators")
def check_referenced_codes(app_configs=None, **kwargs):
    """An Error for each code declared with ``registry.uses()`` that no app registers."""
    return [
        checks.Error(
            f"{source} names the indicator “{code}”, which no app registers.",
            hint="Register it in the indicators.py of the app that owns the data, or correct the code.",
            obj=source, id=UNREGISTERED_CODE,
        )
        for source, codes in registry.REFERENCES.items()
        for code in codes
        if code not in registry.REGISTRY
    ]
