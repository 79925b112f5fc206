"""The web import's progress counter: written through its own connection, so the polling page sees it mid-import."""
import logging

import pytest

from apps.imports.models import ImportBatch
from apps.imports.progress import BatchProgress

# The batch row must be committed for the progress connection to see it.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batch(police):
    return ImportBatch.objects.create(created_by=police, kind="persons", file_name="ds.xlsx", file_bytes=b"PK")


def test_rows_done_are_visible_to_other_connections_while_the_import_runs(batch):
    progress = BatchProgress(batch.pk, min_interval=0)
    try:
        progress(250, 1000)
        batch.refresh_from_db()
        assert (batch.rows_done, batch.rows_total) == (250, 1000)
    finally:
        progress.close()


def test_a_database_that_refuses_the_progress_write_is_logged_and_does_not_break_the_import(batch, caplog):
    progress = BatchProgress(batch.pk, min_interval=0)
    with caplog.at_level(logging.WARNING, logger="apps.imports.progress"):
        progress(2000, 1000)  # over the total: refused by the batch's check constraint
    assert "progress not recorded" in caplog.text and progress.connection is None
    batch.refresh_from_db()
    assert batch.rows_done == 0

