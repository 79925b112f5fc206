"""Showing how far an import has got: a line on the terminal, or a counter the web page polls."""
import logging
import sys
import time

from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class TerminalProgress:
    """'1.250/10.000 dòng · 4.310 dòng/giây' rewritten in place on a terminal; silent when not on one."""

    def __init__(self, stream=None, min_interval=0.2):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.min_interval = min_interval

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < self.min_interval:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        self.stream.write("\r" + _("%(done)s/%(total)s dòng · %(rate)s dòng/giây") % {
            "done": done, "total": total, "rate": int(rate)})
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class BatchProgress:
    """Write the rows done to the batch row through a second connection, so the page can read it mid-import.

    The import itself runs in one long transaction; an update made inside it
    would stay invisible to the polling request until the very end.
    """

    def __init__(self, batch_id: int, min_interval=0.5):
        self.batch_id = batch_id
        self.min_interval = min_interval
        self.last = 0.0
        self.connection = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if 0 < done < total and now - self.last < self.min_interval:
            return
        self.last = now
        try:
            if self.connection is None:
                self.connection = connections.create_connection("default")
            with self.connection.cursor() as cursor:
                cursor.execute("UPDATE imports_importbatch SET rows_done = %s, rows_total = %s WHERE id = %s",
                               [done, total, self.batch_id])
        except DatabaseError:
            # Progress is a courtesy: a database that refuses it (a lost connection, a lock) must not break
            # the import. Anything else is a bug and surfaces.
            logger.warning("import batch %s: progress not recorded", self.batch_id, exc_info=True)
            self.close()

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None
