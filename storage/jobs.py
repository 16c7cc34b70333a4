"""Background jobs: a `job` row per piece of work, run once by the job worker (`flask jobs worker`,
which `make run` starts beside the panel) through Huey.

Two channels, so that a job's progress can be seen while its own work stays one transaction:
- the `job` table keeps what lasts (who started what, when, how it ended). It is written only at the
  job's turns, each in a short transaction: queued (start_job), running (run_job claims it), and
  finished, the last one in the same transaction as the handler's own writes, so a job is "done"
  exactly when its writes are in, and after a failure, a cancel or a killed worker none are;
- what changes every second (progress, the worker's heartbeat, a cancel request) goes through the
  job store: Huey's own key-value storage, a small SQLite file of its own (instance/jobs.sqlite) by
  default, Redis with JOBS_REDIS_URL. Never through the database: on SQLite a second connection's
  write waits while the job's transaction holds the write lock (for the whole of a large import)
  and then fails, and a write inside the job's own transaction is seen by nobody until it commits.
  The same path serves PostgreSQL, where it also keeps the job's row out of the job's locks.

A handler, `@job_handler("kind")`, is called as `handler(job, on_progress, cancelled)`: it works in
`db.session` and does not commit (run_job does), calls `on_progress(done, total)` as it goes and
stops early when `cancelled()` returns True; it returns a small JSON-able dict (or None).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext, lazy_gettext
from huey import RedisHuey, SqliteHuey

from i18n.formatting import as_utc
from models import Job, User, db, utcnow

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}
# What the panel calls each kind of job ("Contacts import").
KIND_LABELS: dict[str, str] = {}
UNFINISHED = ("queued", "running")
# The machinery's own errors, kept in English and shown translated: the worker stopped under the job;
# the queue could not be reached.
WORKER_STOPPED = "The worker stopped."
NOT_QUEUED = "The job could not be queued."
STORED_ERRORS = {
    WORKER_STOPPED: lazy_gettext("The worker stopped."),
    NOT_QUEUED: lazy_gettext("The job could not be queued."),
}
STATE_LABELS = {
    "queued": lazy_gettext("Queued"),
    "running": lazy_gettext("Running"),
    "done": lazy_gettext("Done"),
    "failed": lazy_gettext("Failed"),
    "cancelled": lazy_gettext("Cancelled"),
}
# Progress is written, and a cancel request looked for, at most this often (seconds): a handler
# may report and ask for every row.
PROGRESS_EVERY = 1.0
CANCEL_EVERY = 0.5


def job_handler(kind: str, label: str | None = None):
    """Register the decorated function as the handler of jobs of `kind`, named `label` in the panel
    (a lazy_gettext string)."""

    def register(handler: Callable) -> Callable:
        HANDLERS[kind] = handler
        KIND_LABELS[kind] = label or kind
        return handler

    return register


def kind_label(kind: str) -> str:
    """What the panel calls jobs of `kind`."""
    return str(KIND_LABELS.get(kind, kind))


# --- The queue and the job store ------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Give the app its Huey queue and the task that runs a job in the worker."""
    app.config.setdefault("JOBS_REDIS_URL", os.environ.get("JOBS_REDIS_URL", ""))
    # The queue's name in the store: installations (and test runs) sharing one Redis keep apart.
    app.config.setdefault("JOBS_QUEUE_NAME", "ispdesk")
    # Tests run jobs at once, in their own process (Huey's immediate mode, an in-memory job store).
    app.config.setdefault("JOBS_IMMEDIATE", False)
    # The worker writes its heartbeat this often; a running job whose last one is older than the
    # timeout is shown as failed: its worker was killed or its machine stopped.
    app.config.setdefault("JOBS_HEARTBEAT_SECONDS", 2.0)
    app.config.setdefault("JOBS_WORKER_TIMEOUT", 30.0)
    if app.config["JOBS_REDIS_URL"]:
        queue = RedisHuey(app.config["JOBS_QUEUE_NAME"], url=app.config["JOBS_REDIS_URL"], results=False)
    else:
        path = os.path.join(app.instance_path, "jobs.sqlite")
        if not os.path.exists(path):  # owner only, as the database: job parameters name files
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        queue = SqliteHuey(app.config["JOBS_QUEUE_NAME"], filename=path, results=False)
    queue.immediate = app.config["JOBS_IMMEDIATE"]

    @queue.task(retries=0)
    def run_job_task(job_id: int) -> None:
        with app.app_context():
            run_job(job_id)

    app.extensions["jobs"] = SimpleNamespace(queue=queue, enqueue=run_job_task)


def jobs_queue(app: Flask | None = None):
    """The app's Huey instance."""
    return (app or current_app).extensions["jobs"].queue


class LiveJob:
    """A job's live values in the job store: progress (done, total), heartbeat, cancel request."""

    def __init__(self, job_id: int, queue=None):
        self.queue = queue or jobs_queue()
        self.prefix = f"job-{job_id}-"

    def put(self, name: str, value) -> None:
        self.queue.put(self.prefix + name, value)

    def get(self, name: str, default=None):
        value = self.queue.get(self.prefix + name, peek=True)
        return default if value is None else value

    def forget(self) -> None:
        for name in ("progress", "heartbeat", "cancel"):
            self.queue.delete(self.prefix + name)


# --- Starting, running, cancelling ----------------------------------------------------------------


def start_job(kind: str, params: dict, user: User | None) -> Job:
    """Record a queued job and hand it to the worker; the row is committed before the worker can see it."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for jobs of kind {kind!r}")
    job = Job(kind=kind, params=params, created_by=user)
    db.session.add(job)
    db.session.flush()
    # Read before the commit: reading after it would begin a transaction that, in a saving request
    # on SQLite, holds the write lock an immediate-mode run needs.
    job_id = job.id
    db.session.commit()
    try:
        current_app.extensions["jobs"].enqueue(job_id)
    except Exception:  # the queue is unreachable (Redis down): the job will never run
        db.session.execute(update_if_state(job_id, "queued", state="failed", finished_at=utcnow(), error=NOT_QUEUED))
        db.session.commit()
        raise
    db.session.expire(job)  # an immediate-mode run has changed it meanwhile
    return job


def cancel_job(job: Job) -> bool:
    """Ask an unfinished job to stop (nothing it wrote is kept); False when it has already ended.

    Only the job store is written: on SQLite a write to the database would wait for the running
    job's transaction. The worker records the outcome; a queued job never starts.
    """
    if job_status(job).finished:
        return False
    LiveJob(job.id).put("cancel", True)
    return True


def run_job(job_id: int) -> None:
    """The worker's side: run the queued job `job_id` once and record how it ended.

    Claimed by a conditional UPDATE, so a job delivered twice still runs once; a job asked to stop
    before it started ends as cancelled without running.
    """
    live = LiveJob(job_id)
    claimed = db.session.execute(
        update_if_state(job_id, "queued", state="running", started_at=utcnow(), heartbeat_at=utcnow())
    ).rowcount
    db.session.commit()
    if not claimed:
        return
    job = db.session.get(Job, job_id)
    progress = Progress(live)
    handler = HANDLERS.get(job.kind)
    with Heartbeat(live, current_app.config["JOBS_HEARTBEAT_SECONDS"]):
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {job.kind!r}")
            result = None if progress.cancelled() else handler(job, progress.report, progress.cancelled)
            if progress.cancelled(now=True):
                db.session.rollback()
                finish(job, "cancelled", progress)
            else:
                finish(job, "done", progress, result=result)  # fails, as the handler may, if the commit does
        except Exception as error:
            logger.exception("job %s failed", job_id)
            db.session.rollback()
            finish(job, "failed", progress, error=str(error) or type(error).__name__)


def update_if_state(job_id: int, current: str, **values):
    """UPDATE the job `job_id` if it is still in state `current`."""
    return sa.update(Job).where(Job.id == job_id, Job.state == current).values(**values)


def finish(job: Job, state: str, progress: Progress, result: dict | None = None, error: str = "") -> None:
    """Record the job's end, committing whatever the session holds (a finished handler's writes)."""
    job.state, job.finished_at, job.heartbeat_at = state, utcnow(), utcnow()
    job.done, job.total = progress.done, progress.total
    job.cancel_requested = progress.cancelled(now=True)
    job.result, job.error = result, error[:2000]
    db.session.commit()
    progress.live.forget()


class Progress:
    """The handler's `on_progress` and `cancelled`, both through the job store."""

    def __init__(self, live: LiveJob):
        self.live, self.done, self.total, self.written_at = live, 0, None, 0.0
        self.stop, self.asked_at = False, 0.0

    def report(self, done: int, total: int | None = None) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.written_at >= PROGRESS_EVERY or done == total:
            self.live.put("progress", (done, total))
            self.written_at = now

    def cancelled(self, now: bool = False) -> bool:
        """Whether a stop was asked for; the store is read at most twice a second (a handler may ask
        for every row), or at once with `now`."""
        if not self.stop and (now or time.monotonic() - self.asked_at >= CANCEL_EVERY):
            self.stop, self.asked_at = bool(self.live.get("cancel")), time.monotonic()
        return self.stop


class Heartbeat(threading.Thread):
    """While the job runs, a thread writes the time every few seconds: silence means the worker
    died (a handler's long statement or commit does not stop it: the drivers release the GIL)."""

    def __init__(self, live: LiveJob, every: float):
        super().__init__(daemon=True)
        self.live, self.every, self.stopped = live, every, threading.Event()

    def run(self) -> None:
        while True:
            self.live.put("heartbeat", time.time())
            if self.stopped.wait(self.every):
                return

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join()


# --- What the panel shows -------------------------------------------------------------------------


@dataclass
class JobStatus:
    state: str
    done: int
    total: int | None
    cancel_requested: bool
    error: str
    # Rows a second since the start, and seconds left at that pace (None: not known yet).
    rate: float | None
    seconds_left: float | None

    @property
    def finished(self) -> bool:
        return self.state not in UNFINISHED

    @property
    def percent(self) -> int | None:
        if self.state == "done":
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else None

    @property
    def label(self) -> str:
        if self.cancel_requested and not self.finished:
            return gettext("Cancelling")
        return str(STATE_LABELS[self.state])


def worker_stopped(job: Job, live: LiveJob) -> bool:
    """Whether `job` says it is running but its worker has fallen silent."""
    heartbeat = live.get("heartbeat") or as_utc(job.heartbeat_at or job.started_at or utcnow()).timestamp()
    return job.state == "running" and time.time() - heartbeat > current_app.config["JOBS_WORKER_TIMEOUT"]


def job_status(job: Job) -> JobStatus:
    """How the job stands now: its row, with the live values of an unfinished one."""
    state, done, total, cancel, error = job.state, job.done, job.total, job.cancel_requested, job.error
    if state in UNFINISHED:
        live = LiveJob(job.id)
        done, total = live.get("progress", (done, total))
        cancel = bool(live.get("cancel"))
        if worker_stopped(job, live):
            state, error = "failed", WORKER_STOPPED
        elif state == "queued" and cancel:
            state = "cancelled"  # the worker will never start it
    error = str(STORED_ERRORS.get(error, error))
    rate = seconds_left = None
    if job.started_at and done:
        # SQLite gives the stored times back without their zone (UTC).
        elapsed = (as_utc(job.finished_at or utcnow()) - as_utc(job.started_at)).total_seconds()
        rate = done / elapsed if elapsed > 0 else None
        if rate and total and state == "running":
            seconds_left = max(0.0, (total - done) / rate)
    return JobStatus(state, done, total, cancel, error, rate, seconds_left)


def fail_stopped_jobs() -> int:
    """Record as failed the running jobs whose worker has stopped (the worker does it as it starts)."""
    stopped = [
        job for job in db.session.query(Job).filter(Job.state == "running") if worker_stopped(job, LiveJob(job.id))
    ]
    for job in stopped:
        job.state, job.finished_at, job.error = "failed", utcnow(), WORKER_STOPPED
    db.session.commit()
    return len(stopped)


# --- The worker ---------------------------------------------------------------------------------


def run_worker(workers: int = 1) -> None:
    """Run Huey's consumer until Ctrl+C (SIGINT: lets the running job finish) or SIGTERM (stops
    at once: the job's transaction is rolled back). One worker by default: SQLite has one writer."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    fail_stopped_jobs()
    db.session.remove()
    # An idle worker looks for new jobs every second at the longest (Huey's default backs off to 10 s).
    jobs_queue().create_consumer(workers=workers, worker_type="thread", periodic=False, max_delay=1.0).run()


@click.group("jobs", cls=AppGroup)
def jobs_cli():
    """Background jobs."""


@jobs_cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 8), default=1, show_default=True)
def worker_command(workers: int):
    """Run the job worker until Ctrl+C (`make run` starts one beside the panel)."""
    run_worker(workers)
