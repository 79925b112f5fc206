"""Extra panels on a person's page, contributed by apps that sit above this one.

``apps.cases`` must not be imported here (dependencies point downwards), so it
registers a panel from its AppConfig.ready(): ``register_person_panel(func)``
where ``func(request, person)`` returns None (nothing to show, e.g. the role
may not see cases) or ``{"title": ..., "template": ..., "context": {...}}``.
"""
_PANELS = []


def register_person_panel(func):
    """Add *func* to the panels every person's detail page renders; usable as a decorator."""
    if func not in _PANELS:
        _PANELS.append(func)
    return func


def person_panels(request, person) -> list[dict]:
    """The panels to render for *person*, in registration order."""
    panels = []
    for func in _PANELS:
        panel = func(request, person)
        if panel:
            panels.append({"title": panel.get("title", ""), "template": panel["template"],
                           "context": panel.get("context", {})})
    return panels
