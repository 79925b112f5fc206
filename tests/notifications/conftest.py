"""A real SMTP server on loopback (aiosmtpd) for the digest tests, and Django pointed at it via EMAIL_URL."""
import email
import email.policy
import socket
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# URL-reserved characters, escaped in EMAIL_URL as an operator would (smtplib sends ASCII passwords only).
SMTP_LOGIN, SMTP_PASSWORD = "myhoi-digest", "p@ss/w:rd%2026"
SITE_URL = "https://myhoi.example.vn"


@dataclass
class Received:
    """One message as the server received it: envelope and parsed message."""

    mail_from: str
    rcpt_tos: list
    message: email.message.EmailMessage
    authenticated_as: str

    @property
    def subject(self) -> str:
        # Django folds a long encoded subject onto the next line ("Subject: \n =?utf-8?…"): a space to drop.
        return str(self.message["subject"]).strip()

    @property
    def body(self) -> str:
        return self.message.get_content().replace("\r\n", "\n")


class Recorder:
    """aiosmtpd handler: keeps every accepted message; refuses the recipients listed in ``refuse``."""

    def __init__(self):
        self.messages: list[Received] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
        self.messages.append(Received(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(envelope.original_content, policy=email.policy.default),
            authenticated_as=login))
        return "250 Message accepted for delivery"

    def to(self, address) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_LOGIN
          and auth_data.password.decode() == SMTP_PASSWORD)
    # handled=False: the server answers 535 itself (aiosmtpd's default, True, would leave the client waiting).
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 requiring AUTH (allowed without TLS on loopback); its Recorder."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port(), authenticator=_authenticate,
                            auth_require_tls=False, auth_required=True)
    controller.start()
    recorder.port = controller.port
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(smtp_server, settings, monkeypatch):
    """Django's e-mail settings read from EMAIL_URL exactly as in production, pointing at smtp_server."""
    from urllib.parse import quote

    from myhoi import settings as project_settings

    monkeypatch.setenv("EMAIL_URL", f"smtp://{SMTP_LOGIN}:{quote(SMTP_PASSWORD, safe='')}@127.0.0.1:{smtp_server.port}")
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "myhoi <no-reply@myhoi.example.vn>")
    for name, value in project_settings.email_settings(project_settings.env).items():
        setattr(settings, name, value)
    settings.SITE_URL = SITE_URL
    return settings
