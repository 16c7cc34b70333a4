"""Job handlers for the tests only: imported by the job tests and by the worker process they start
(tests/storage/test_jobs_worker.py), so both know the same kinds."""

from __future__ import annotations

import time

import sqlalchemy as sa

from models import ClientGroup, Job, db
from storage.jobs import cancel_job, job_handler

# What the handlers saw, for the tests that run them in their own process.
SEEN: dict[str, list] = {"states": [], "cancelled": []}


@job_handler("test-count")
def count(job: Job, on_progress, cancelled) -> dict:
    """Count to params["n"], reporting each step, `pause` seconds apart; stop when cancelled."""
    n, pause = job.params["n"], job.params.get("pause", 0)
    SEEN["states"].append(db.session.get(Job, job.id).state)
    for done in range(1, n + 1):
        if cancelled():
            return {"counted": done - 1}
        time.sleep(pause)
        on_progress(done, n)
    return {"counted": n}


@job_handler("test-rows")
def write_rows(job: Job, on_progress, cancelled) -> dict:
    """Add params["n"] client groups named "Job row …" in the job's one transaction, `pause`
    seconds apart; fail at row params["fail_at"], or be cancelled after row params["cancel_at"].
    With params["spill"], SQLite spills the transaction to the database file within a few rows (a
    tiny page cache), as a large import does."""
    n, pause = job.params["n"], job.params.get("pause", 0)
    if job.params.get("spill") and db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("PRAGMA cache_size=2"))
    for done in range(1, n + 1):
        if done == job.params.get("fail_at"):
            raise ValueError(f"Row {done} is wrong.")
        if cancelled():
            SEEN["cancelled"].append(True)
            return {"rows": done - 1}
        db.session.add(ClientGroup(name=f"Job row {done}"))
        db.session.flush()
        on_progress(done, n)
        if done == job.params.get("cancel_at"):  # as a clerk's Cancel from another request would
            cancel_job(job)
        time.sleep(pause)
    # A set cannot be stored as JSON: the job's final commit fails.
    return {"rows": {n}} if job.params.get("unstorable_result") else {"rows": n}
