"""Settings for myhoi: production behaviour unless the environment says otherwise."""
import datetime as dt
from pathlib import Path

from csp.constants import NONE, SELF

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


class Env(environ.Env):
    """django-environ, with a value that cannot be read reported as a configuration error naming its variable."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as exc:
            # manage.py prints an ImproperlyConfigured as one line; a bare ValueError would not say which variable.
            raise ImproperlyConfigured(f"{var} has a value that cannot be read ({exc}).") from exc


env = Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")

SECRET_KEY_MISSING = "SECRET_KEY must be set when DEBUG is off (production); for development set DEBUG=1."
SECRET_KEY = env("SECRET_KEY", default=None)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(SECRET_KEY_MISSING)
    SECRET_KEY = "insecure-development-key-only-for-debug"

# Rotation: put the old key here while the new one is SECRET_KEY, so sessions and signed
# values made with the old key stay valid until they expire; then remove it (docs/security.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.khom",
    # Below every app whose events it carries: they call notify(); it imports only core and accounts.
    "apps.notifications",
    # The indicator engine sits below the apps that register their indicators into it.
    "apps.indicators",
    "apps.subjects",
    "apps.cases",
    "apps.activities",
    "apps.criteria",
    "apps.reports",
    "apps.imports",
    "myhoi.apps.AdminConfig",  # django.contrib.admin on our site class (bounded changelists)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "bootstrap",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Last, so that its lockout signal handlers run after the apps that audit logins.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files keep their long cache headers), above everything that may answer.
    "apps.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and from where, for every audit() of the request (apps.core.audit).
    "apps.core.middleware.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.core.middleware.SessionTimeoutMiddleware",
    "apps.core.middleware.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lockout signalled during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "myhoi.urls"
WSGI_APPLICATION = "myhoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
                "apps.notifications.context_processors.notifications",
                "apps.criteria.context_processors.waiting",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/myhoi"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiler pays off on long analytical queries, not on a web request's grouped
# counts: it spent 150 ms compiling a report query that runs in 75 ms without it (issue 9). Off for
# the app's connections unless DATABASE_JIT=1 (the server's own setting is left alone).
if not env.bool("DATABASE_JIT", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["myhoi.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside the web root and is served only through views that check scope.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))

# Client address behind the reverse proxy: how many proxies append to X-Forwarded-For.
# 0 = no proxy, REMOTE_ADDR is the client. The audit log and login throttling read the same value.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Login throttling (django-axes): a username tried from one address is locked after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES; other users and addresses are unaffected.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "apps.core.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
# Every attempt is already in the audit log (apps.core.signals); axes keeps only its counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Second factor (TOTP). Roles listed here must confirm a one-time code after the password on
# every page, the admin site included. Production default: leadership, police, administrators.
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=[] if DEBUG else ["leadership", "police", "administrator"]
)
OTP_TOTP_ISSUER = "myhoi"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Absolute lifetime of a login, however active the user is (seconds).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Inactivity timeout (seconds): a session idle this long is logged out.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: only our own files; no inline script, no plugins, no <base>, no framing.
# data: images only for Bootstrap's built-in SVG icons.
# The empty choice of every list filter (django-filter): "Tất cả", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Tất cả")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

if not DEBUG:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The admin's export format (SafeXLSX: user text as text, never a formula) is set on
# apps.imports.admin.ScopedImportExportMixin, not as EXPORT_FORMATS here: that setting takes
# classes, and settings must not import application code.

# A user whose CCCD entries collide with records outside their scope more than this many times in a
# day is flagged to administrators (apps.subjects.services.cccd_lookups_record).
CCCD_LOOKUP_ALERT_PER_DAY = env.int("CCCD_LOOKUP_ALERT_PER_DAY", default=5)

DEMO_PASSWORD = env("DEMO_PASSWORD", default="MyThoi@2025")

# The address of the site as users reach it: the daily digest's links are absolute (SITE_URL + path).
# send_digests refuses to run without it when DEBUG is off.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

EMAIL_TLS_AND_SSL = "EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (implicit TLS) cannot both be on: choose one."


def email_settings(env) -> dict:
    """Django's EMAIL_* settings from the environment.

    ``EMAIL_URL`` — ``smtp://user:password@host:25`` (plain), ``smtp+tls://…:587`` (STARTTLS),
    ``smtp+ssl://…:465`` (implicit TLS), ``consolemail://`` — wins; otherwise ``EMAIL_HOST``,
    ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``, ``EMAIL_USE_SSL``.
    Without either, development prints messages on the console and production hands them to
    the local mail server (localhost:25).
    """
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_URL", default=""):
        parsed = env.email_url("EMAIL_URL")
        # Query options arrive as text ("?EMAIL_USE_TLS=False" would be true): read them as booleans.
        truthy = {"1", "true", "yes", "on"}
        config = {
            "EMAIL_BACKEND": parsed["EMAIL_BACKEND"],
            "EMAIL_HOST": parsed.get("EMAIL_HOST") or "localhost",
            "EMAIL_PORT": parsed.get("EMAIL_PORT") or 25,
            "EMAIL_HOST_USER": parsed.get("EMAIL_HOST_USER") or "",
            "EMAIL_HOST_PASSWORD": parsed.get("EMAIL_HOST_PASSWORD") or "",
            "EMAIL_USE_TLS": str(parsed.get("EMAIL_USE_TLS", False)).lower() in truthy,
            "EMAIL_USE_SSL": str(parsed.get("EMAIL_USE_SSL", False)).lower() in truthy,
        }
    else:
        host = env("EMAIL_HOST", default="")
        config = {
            "EMAIL_BACKEND": smtp if host or not env("DEBUG") else "django.core.mail.backends.console.EmailBackend",
            "EMAIL_HOST": host or "localhost",
            "EMAIL_PORT": env.int("EMAIL_PORT", default=25),
            "EMAIL_HOST_USER": env("EMAIL_HOST_USER", default=""),
            "EMAIL_HOST_PASSWORD": env("EMAIL_HOST_PASSWORD", default=""),
            "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=False),
            "EMAIL_USE_SSL": env.bool("EMAIL_USE_SSL", default=False),
        }
    if config["EMAIL_USE_TLS"] and config["EMAIL_USE_SSL"]:
        raise ImproperlyConfigured(EMAIL_TLS_AND_SSL)
    # A mail server that does not answer must not hang the digest for ever (seconds).
    config["EMAIL_TIMEOUT"] = env.int("EMAIL_TIMEOUT", default=30)
    config["DEFAULT_FROM_EMAIL"] = env("DEFAULT_FROM_EMAIL", default="myhoi <no-reply@localhost>")
    config["SERVER_EMAIL"] = config["DEFAULT_FROM_EMAIL"]
    return config


globals().update(email_settings(env))
# Largest page size for list pages; larger requests are clamped.
PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_at_info": {"()": "apps.core.logfilters.RefusalAtInfo"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # axes logs every login at INFO; the audit log already has them. A 403 is logged at INFO, no traceback.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"},
                "django.request": {"filters": ["refusal_at_info"]}},
}

# Bulk import limits (apps.imports): larger files are refused before any row is read.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20000)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# An .xlsx is a zip: apps.imports.archive checks it from its directory, and by inflating each part
# once in bounded memory, before anything is parsed. A 20,000-row file inflates to about 15 MB, its
# parts compress 10-20 times; a zip bomb compresses about 1,000 times.
# All parts together, uncompressed; also the most memory the text read from one file may take.
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=64 * 1024 * 1024)
# Any one part other than the worksheets and the shared strings (styles, theme, workbook,
# relationships…): openpyxl reads those whole, into full XML trees. Excel writes them in kilobytes.
IMPORT_MAX_MEMBER_BYTES = env.int("IMPORT_MAX_MEMBER_BYTES", default=4 * 1024 * 1024)
IMPORT_MAX_ZIP_MEMBERS = env.int("IMPORT_MAX_ZIP_MEMBERS", default=200)
# Uncompressed over compressed size of any part larger than 1 MB (Apache POI's default is 100 too).
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
