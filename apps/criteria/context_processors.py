"""The navigation's count of what waits for the user's decision: one query, run only when a page shows it."""


class WaitingCount:
    """Called by the template (``{% with n=criteria_waiting %}``); counts once per request, 0 for most roles."""

    def __init__(self, user):
        self._user = user
        self._value = None

    def __call__(self) -> int:
        if self._value is None:
            from .selectors import waiting_for

            self._value = waiting_for(self._user).count()
        return self._value


def waiting(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Where the count goes: leadership's khóm assessments on the list, the province's self-assessments on its page.
    menu = "criteria:province" if user.is_province else "criteria:list"
    return {"criteria_waiting": WaitingCount(user), "criteria_waiting_menu": menu}
