"""The set-up commands behind `make run` / `make test`."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_unreachable_database_is_reported_in_one_line_naming_database_url():
    result = run_manage("ensure_database", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL=postgres://postgres@127.0.0.1:1/nowhere" in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    result = run_manage("check")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("command", [
    ["check"],
    ["migrate", "--noinput"],
    ["makemigrations", "--check", "--dry-run"],
    ["seed_demo"],
    ["import_xlsx", "persons", "nguoi.xlsx", "--dry-run"],
    ["help"],
])
def test_every_command_without_debug_or_secret_key_prints_one_line_naming_the_cause(command):
    result = run_manage(*command)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Configuration error: {settings.SECRET_KEY_MISSING}"]
    assert "DEBUG=1" in settings.SECRET_KEY_MISSING  # says how to run it for development, too
    assert result.stdout == ""


def test_an_unreadable_variable_is_named_in_one_line():
    result = run_manage("migrate", DEBUG="1", CONN_MAX_AGE="sixty")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Configuration error: CONN_MAX_AGE ")


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        SECRET_KEY="k" * 20 + "-Production-Only-Secret-Value-0123456789",
                        ALLOWED_HOSTS="myhoi.angiang.gov.vn")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
