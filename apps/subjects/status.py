"""The derived status of a person: one rule, used by the services, the import and the benchmark data."""
import datetime as dt


def derive_status(open_episodes, last_test: dt.date | None):
    """(status, next_test_due) of a person from their open episodes and the date of their last test.

    The status is the kind of the open episode of highest priority (the latest started among equals);
    the next test is due one interval after the later of the episode's start and the last test,
    the earliest over the open episodes whose kind has a test interval. No open episode: (None, None).
    """
    ordered = sorted(open_episodes, key=lambda e: (e.kind.priority, e.started_on), reverse=True)
    status = ordered[0].kind if ordered else None
    next_due = None
    for episode in ordered:
        interval = episode.kind.test_interval_days
        if not interval:
            continue
        base = max(episode.started_on, last_test) if last_test else episode.started_on
        due = base + dt.timedelta(days=interval)
        next_due = due if next_due is None else min(next_due, due)
    return status, next_due
