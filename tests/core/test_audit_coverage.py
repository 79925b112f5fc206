"""Writes that bypass Model.save() (queryset update/delete, bulk_create, bulk_update, raw SQL) are each known.

Row history is explicit (audit() in the services, the admin and the import's per-row events), not
database triggers (see docs/security.md, "Why not django-pghistory"). The risk of explicit history is a
new bulk write that logs nothing; this test names every such write in the application code, with the
reason it is safe, so a new one fails here until it is audited or explained.
"""
import ast
from pathlib import Path

import apps

ROOT = Path(apps.__file__).parent
QUERYSET_METHODS = {"filter", "exclude", "all", "select_for_update", "using", "none"}
# Fixture data, not application writes.
SKIPPED = ("demo.py", "bench.py", "seed_bench.py", "seed_demo.py")

KNOWN = {
    ("accounts/services.py", "otp_device_confirm", "delete"): "the user's unconfirmed TOTP devices; confirm audited",
    ("cases/services.py", "case_number_allocate", "bulk_create"): "a per-ward numbering counter row",
    ("cases/services.py", "_write_children", "delete"): "the case's own rows, logged in the case's event",
    ("criteria/services.py", "assessment_create", "bulk_create"): "the empty items of a new, audited assessment",
    ("imports/resources.py", "write_created", "bulk_create"): "each row's history written by write_history",
    ("imports/resources.py", "write_updated", "bulk_update"): "each row's history written by write_history",
    ("subjects/services.py", "person_bulk_create", "bulk_create"): "the import's rows; history by write_history",
    ("subjects/services.py", "person_bulk_update", "bulk_update"): "the import's rows; history by write_history",
    ("imports/resources.py", "write_history", "bulk_create"): "the audit events themselves",
    ("imports/services.py", "_claim", "update"): "an import batch's status",
    ("imports/services.py", "import_batch_confirm", "update"): "a batch's status after a failed confirmation "
                                                              "(nothing was written)",
    ("imports/services.py", "import_batch_refuse", "update"): "an admin import batch's status (the refusal is audited)",
    ("imports/services.py", "import_batch_imported", "update"): "an admin import batch's counts (rows audited one by one)",
    ("imports/services.py", "import_batch_previewed", "update"): "an admin import batch's status after its dry run",
    ("imports/services.py", "import_batch_claim", "update"): "an admin import batch's status",
    ("imports/progress.py", "__call__", "execute"): "an import batch's progress counter",
    ("subjects/services.py", "person_sync_status", "update"): "derived columns, recomputed from audited records",
    ("notifications/services.py", "notify", "bulk_create"): "notifications of an event its own service audits",
    ("notifications/services.py", "notification_mark_all_read", "update"): "the user's own read marks",
    ("notifications/services.py", "overdue_notices_refresh", "delete"): "derived notices of tasks no longer overdue",
    ("reports/services.py", "round_issue", "bulk_create"): "a round's drafts, each with its own audit event, and those events",
    ("reports/services.py", "round_issue", "bulk_update"): "reports joining a round: one audit event each (join_round)",
    ("reports/services.py", "_decide_latest", "update"): "a submission's outcome, in its report's audited accept/return/reopen",
    ("core/views.py", "healthz", "execute"): "SELECT 1",
    ("core/management/commands/ensure_database.py", "handle", "execute"): "CREATE DATABASE",
    ("core/management/commands/restore.py", "user_table_count", "execute"): "a read",
    ("core/transactions.py", "consistent_snapshot", "execute"): "SET TRANSACTION ISOLATION LEVEL (no data)",
    ("core/transactions.py", "isolation_level", "execute"): "SHOW transaction_isolation (a read)",
}


def bypassing_writes():
    found = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path.name in SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                name, target = node.func.attr, node.func.value
                on_queryset = (isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute)
                               and target.func.attr in QUERYSET_METHODS)
                if name in ("bulk_create", "bulk_update", "raw", "execute") or (
                        name in ("update", "delete") and on_queryset):
                    found.add((path.relative_to(ROOT).as_posix(), function.name, name))
    return found


def test_every_write_that_bypasses_save_is_known_and_explained():
    assert bypassing_writes() == set(KNOWN)
