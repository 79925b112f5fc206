"""The navigation's unread count: one indexed query, run only when a page shows it."""
from .selectors import unread_count


class UnreadCount:
    """Called by the template (``{% with n=unread_notifications %}``); counts once per request."""

    def __init__(self, user):
        self._user = user
        self._value = None

    def __call__(self) -> int:
        if self._value is None:
            self._value = unread_count(self._user)
        return self._value


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
