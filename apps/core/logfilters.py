"""Logging filters: a refused page is a routine event, not an error with a traceback."""
import logging


class RefusalAtInfo(logging.Filter):
    """Write django.request's 403 records at INFO, without the traceback Django attaches to them.

    Django logs every PermissionDenied as a WARNING carrying the exception, so each
    refusal of a role (an everyday event, already in the audit log when it matters)
    filled the log with a full traceback and hid real warnings.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info, record.exc_text = None, None
        return True
