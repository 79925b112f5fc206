"""E-mail settings from the environment (myhoi.settings.email_settings), as production reads them."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from myhoi import settings as project

SMTP = "django.core.mail.backends.smtp.EmailBackend"
VARIABLES = ["EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
             "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL"]


@pytest.fixture
def environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def read(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return project.email_settings(project.env)

    return read


def test_an_email_url_with_starttls_gives_host_port_credentials_and_tls(environment):
    config = environment(EMAIL_URL="smtp+tls://digest%40myhoi.vn:p%40ss%2Fw%3Ard@mail.angiang.gov.vn:587",
                         DEFAULT_FROM_EMAIL="myhoi <no-reply@angiang.gov.vn>")
    assert config["EMAIL_BACKEND"] == SMTP
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.angiang.gov.vn", 587)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("digest@myhoi.vn", "p@ss/w:rd")
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (True, False)
    assert config["DEFAULT_FROM_EMAIL"] == config["SERVER_EMAIL"] == "myhoi <no-reply@angiang.gov.vn>"
    assert config["EMAIL_TIMEOUT"] == 30


def test_implicit_tls_and_query_options_read_as_booleans(environment):
    assert environment(EMAIL_URL="smtp+ssl://u:p@mail.example:465")["EMAIL_USE_SSL"] is True
    config = environment(EMAIL_URL="smtp://u:p@mail.example:25?EMAIL_USE_TLS=False")
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (False, False)
    assert environment(EMAIL_URL="smtp://u:p@mail.example:587?EMAIL_USE_TLS=True")["EMAIL_USE_TLS"] is True


def test_separate_variables_when_there_is_no_url(environment):
    config = environment(EMAIL_HOST="relay.example", EMAIL_PORT="2525", EMAIL_HOST_USER="u",
                         EMAIL_HOST_PASSWORD="p", EMAIL_USE_TLS="1", EMAIL_TIMEOUT="10")
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"]) == (SMTP, "relay.example", 2525)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"], config["EMAIL_USE_TLS"]) == ("u", "p", True)
    assert config["EMAIL_TIMEOUT"] == 10


def test_without_any_setting_development_prints_and_production_uses_the_local_server(environment, monkeypatch):
    monkeypatch.setenv("DEBUG", "1")
    assert environment()["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setenv("DEBUG", "0")
    config = environment()
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"]) == (SMTP, "localhost", 25)


def test_tls_and_ssl_together_is_a_configuration_error(environment):
    with pytest.raises(ImproperlyConfigured, match="cannot both be on"):
        environment(EMAIL_HOST="relay.example", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    with pytest.raises(ImproperlyConfigured, match="cannot both be on"):
        environment(EMAIL_URL="smtp+ssl://u:p@mail.example:465?EMAIL_USE_TLS=1")


def test_an_unknown_scheme_is_a_configuration_error(environment):
    with pytest.raises(ImproperlyConfigured):
        environment(EMAIL_URL="smtpx://mail.example")
