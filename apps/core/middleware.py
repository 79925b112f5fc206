"""Request-wide rules: the audit context, session lifetimes, the mandatory second factor, and no caching of what we answer."""
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .audit import audit_context, client_ip

# Session keys (seconds since the epoch).
SESSION_STARTED_KEY = "myhoi_session_started"
SESSION_ACTIVITY_KEY = "myhoi_last_activity"
OTP_ENROLLED_KEY = "myhoi_otp_enrolled"
# Last-activity is written at most this often, so an active user does not cost a session write per request.
ACTIVITY_RESOLUTION = 60

SESSION_IDLE_EXPIRED = _("Phiên làm việc đã hết hạn do không hoạt động quá lâu. Vui lòng đăng nhập lại.")
SESSION_LIFETIME_EXPIRED = _("Phiên làm việc đã quá thời hạn tối đa. Vui lòng đăng nhập lại.")


class AuditContextMiddleware:
    """Open the audit context of the request: its user, the client address and a request id for every audit().

    Put right after AuthenticationMiddleware, so that what the later middleware
    audit (timeout logouts, lockouts) carries the address too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A getter, not the user: signing in or out during the request changes request.user.
        with audit_context(user=lambda: getattr(request, "user", None), ip=client_ip(request), source="web") as context:
            request.audit_request_id = context.request_id
            return self.get_response(request)


class SessionTimeoutMiddleware:
    """Log out a session idle longer than SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.

    Django's own expiry slides forward every time the session is saved, so it is
    not an absolute lifetime; the login time kept here is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            last = session.get(SESSION_ACTIVITY_KEY)
            reason = None
            if started is not None and now - started > settings.SESSION_COOKIE_AGE:
                reason = SESSION_LIFETIME_EXPIRED
            elif last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                reason = SESSION_IDLE_EXPIRED
            if reason is not None:
                logout(request)  # audited as a logout by apps.core.signals; flushes the session
                messages.warning(request, reason)
                return redirect_to_login(request.get_full_path())
            if started is None:
                session[SESSION_STARTED_KEY] = now
            if last is None or now - last >= ACTIVITY_RESOLUTION:
                session[SESSION_ACTIVITY_KEY] = now
        return self.get_response(request)


def otp_enrolled(user) -> bool:
    """Whether *user* has a confirmed one-time-code device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_required_for(request) -> bool:
    """Whether the signed-in user must confirm a one-time code: by role (OTP_REQUIRED_ROLES) or because they enrolled.

    Enrolment is read once per session (set at login by apps.accounts.signals), so
    pages cost no extra query.
    """
    user = request.user
    roles = set(settings.OTP_REQUIRED_ROLES)
    if user.role in roles or (user.is_superuser and "administrator" in roles):
        return True
    enrolled = request.session.get(OTP_ENROLLED_KEY)
    if enrolled is None:
        enrolled = request.session[OTP_ENROLLED_KEY] = otp_enrolled(user)
    return enrolled


class OTPRequiredMiddleware:
    """Send a signed-in user who still owes a one-time code to the verify (or enrolment) page.

    Applies to every page, the admin site included; only the second-factor pages,
    logout, language switch, static files and the health check stay reachable.
    """

    EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request.path)
            and otp_required_for(request)
        ):
            target = "accounts:otp_verify" if otp_enrolled(user) else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _exempt(self, path):
        exempt = {reverse("accounts:otp_verify"), reverse("accounts:otp_setup"), reverse("logout"), reverse("login")}
        return path in exempt or path.startswith(self.EXEMPT_PREFIXES)


# Every response Django renders: pages, Excel exports, evidence downloads, the admin, redirects, errors.
NO_STORE = "private, no-store"


class NoStoreMiddleware:
    """Forbid every cache (browser, proxy, CDN) to keep a copy of any response the application renders.

    Pages and files carry personal records, and which of them do is not worth deciding
    view by view: a list's filters, an error page or a redirect can name a person too.
    So the rule is every dynamic response, anonymous or not, /healthz included (a cached
    health answer would hide a database that is down). Static files never reach this
    middleware: WhiteNoise, above it, answers them with its own long-lived cache headers,
    which is right for hashed public assets. A view's own Cache-Control is replaced, not
    merged, so that nothing like `public, max-age` survives next to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = NO_STORE
        return response
