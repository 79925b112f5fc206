"""A refused page is logged as a routine event: INFO, without a traceback."""
import logging

import pytest

from apps.core.logfilters import RefusalAtInfo


def test_a_403_is_logged_at_info_without_a_traceback(client_for, khom_officer, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client_for(khom_officer).get("/audit/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.levelno == logging.INFO and r.exc_info is None for r in records)


@pytest.mark.parametrize("status", [404, 500])
def test_other_statuses_keep_their_level(status):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), None)
    record.status_code = status
    assert RefusalAtInfo().filter(record) and record.levelno == logging.WARNING
