"""At login: start the session clocks and remember whether the user enrolled a second factor."""
import time

from django.contrib.auth import signals
from django.dispatch import receiver

from apps.core.middleware import OTP_ENROLLED_KEY, SESSION_ACTIVITY_KEY, SESSION_STARTED_KEY, otp_enrolled


@receiver(signals.user_logged_in, dispatch_uid="accounts.start_session_clocks")
def start_session_clocks(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SESSION_STARTED_KEY] = now
    session[SESSION_ACTIVITY_KEY] = now
    # Read once here so that pages need no query to decide whether to ask for a code.
    session[OTP_ENROLLED_KEY] = otp_enrolled(user)
