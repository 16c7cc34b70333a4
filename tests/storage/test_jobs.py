"""Background jobs without HTTP: queued → running → done, failures, cancelling, a dead worker,
each job run once (storage/jobs.py)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa
from huey import RedisHuey

from models import ClientGroup, Job, db, utcnow
from storage.jobs import (
    WORKER_STOPPED,
    LiveJob,
    Progress,
    cancel_job,
    fail_stopped_jobs,
    job_status,
    jobs_queue,
    run_job,
    start_job,
)
from tests.helpers import make_app, user_named
from tests.job_handlers import SEEN


@pytest.fixture(autouse=True)
def forget_seen():
    for seen in SEEN.values():
        seen.clear()


def job_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(ClientGroup.name.like("Job row %")))


def start(app, kind: str, **params) -> int:
    with app.app_context():
        return start_job(kind, params, user_named("staff")).id


def run(app, job_id: int) -> Job:
    """Run the job as the worker does, in an app context (and database session) of its own."""
    with app.app_context():
        run_job(job_id)
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def test_a_job_is_queued_then_runs_once_and_is_done(app):
    job_id = start(app, "test-count", n=5)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.state, job.started_at, job.created_by.username) == ("queued", None, "staff")
        assert job_status(job).label == "Queued"
    job = run(app, job_id)
    assert SEEN["states"] == ["running"]  # what the handler saw of its own row
    assert (job.state, job.done, job.total, job.result, job.error) == ("done", 5, 5, {"counted": 5}, "")
    assert job.created_at <= job.started_at <= job.finished_at
    # Delivered again (a queue may deliver twice): it does not run again.
    assert run(app, job_id).finished_at == job.finished_at
    assert SEEN["states"] == ["running"]


def test_immediate_mode_runs_the_job_at_once_and_keeps_its_writes(app, immediate_jobs):
    with app.app_context():
        job = start_job("test-rows", {"n": 3}, user_named("admin"))
        assert (job.state, job.result, job.done) == ("done", {"rows": 3}, 3)
        assert job_rows() == 3
        status = job_status(job)
        assert (status.percent, status.finished, status.label) == (100, True, "Done")


def test_a_failing_job_records_its_message_and_keeps_none_of_its_writes(app, immediate_jobs):
    job_id = start(app, "test-rows", n=5, fail_at=3)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.state, job.error, job.done, job.total) == ("failed", "Row 3 is wrong.", 2, 5)
        assert job_rows() == 0


def test_a_cancelled_job_stops_and_keeps_none_of_its_writes(app, immediate_jobs):
    job_id = start(app, "test-rows", n=20, cancel_at=4, pause=0.1)
    assert SEEN["cancelled"] == [True]  # the handler saw cancelled() turn True
    with app.app_context():
        job = db.session.get(Job, job_id)
        # It stopped within half a second (the request is looked for twice a second).
        assert (job.state, job.cancel_requested) == ("cancelled", True)
        assert 4 <= job.done <= 10
        assert job_rows() == 0
        # An ended job cannot be cancelled again.
        assert cancel_job(job) is False


def test_a_queued_job_cancelled_before_it_starts_never_runs(app):
    job_id = start(app, "test-count", n=3)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert cancel_job(job) is True
        assert job_status(job).state == "cancelled"  # at once, though the worker has not seen it yet
    job = run(app, job_id)
    assert (job.state, job.cancel_requested, SEEN["states"]) == ("cancelled", True, [])


def test_a_job_of_an_unknown_kind_is_refused_and_one_without_handler_fails(app):
    with app.app_context(), pytest.raises(ValueError, match="no handler"):
        start_job("no-such-kind", {}, None)
    with app.app_context():
        db.session.add(Job(kind="gone-kind", params={}))
        db.session.commit()
        job_id = db.session.scalar(sa.select(Job.id))
    assert run(app, job_id).state == "failed"


def test_a_running_job_whose_worker_is_silent_shows_as_failed(app):
    app.config["JOBS_WORKER_TIMEOUT"] = 5
    job_id = start(app, "test-count", n=3)
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.state, job.started_at = "running", utcnow() - timedelta(seconds=60)
        job.heartbeat_at = job.started_at
        db.session.commit()
        live = LiveJob(job_id)
        live.put("heartbeat", time.time())  # the worker is alive
        assert job_status(job).state == "running"
        live.put("heartbeat", time.time() - 6)  # ... and has been silent for longer than the timeout
        status = job_status(job)
        assert (status.state, status.error, status.finished) == ("failed", "The worker stopped.", True)
        # A worker starting later records it for good.
        assert fail_stopped_jobs() == 1
        job = db.session.get(Job, job_id)
        assert (job.state, job.error) == ("failed", WORKER_STOPPED)
        assert job_status(job).error == "The worker stopped."


def test_progress_is_written_at_most_once_a_second_and_at_the_end():
    writes = []

    class Store:
        def put(self, name, value):
            writes.append(value)

    progress = Progress(Store())
    for done in range(1, 10_001):
        progress.report(done, 10_000)
    assert writes[0] == (1, 10_000)
    assert writes[-1] == (10_000, 10_000)
    assert len(writes) <= 3


def test_rate_and_time_left_come_from_the_start_and_the_progress(app):
    job_id = start(app, "test-count", n=3)
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.state, job.started_at = "running", utcnow() - timedelta(seconds=10)
        db.session.commit()
        live = LiveJob(job_id)
        live.put("heartbeat", time.time())
        live.put("progress", (1_000, 3_000))
        status = job_status(job)
        assert (status.done, status.total, status.percent) == (1_000, 3_000, 33)
        assert status.rate == pytest.approx(100, rel=0.05)
        assert status.seconds_left == pytest.approx(20, rel=0.05)


def test_a_result_that_cannot_be_stored_fails_the_job_and_keeps_none_of_its_writes(app, immediate_jobs):
    job_id = start(app, "test-rows", n=2, unstorable_result=True)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.state, job_rows()) == ("failed", 0)
        assert "not JSON serializable" in job.error


def redis_app(app, url: str):
    """An app on the same database whose job queue is in Redis, under a name of its own."""
    return make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=app.instance_path,
        JOBS_REDIS_URL=url,
        JOBS_QUEUE_NAME=f"ispdesk-test-{uuid.uuid4().hex}",
    )


def test_with_redis_the_queue_and_the_live_values_are_in_redis(app):
    redis_url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    app = redis_app(app, redis_url)
    queue = jobs_queue(app)
    try:
        assert isinstance(queue, RedisHuey)
        job_id = start(app, "test-rows", n=3)
        assert queue.pending_count() == 1
        with app.app_context():
            LiveJob(job_id).put("progress", (1, 3))
            assert job_status(db.session.get(Job, job_id)).done == 1
        assert (run(app, job_id).state, run(app, job_id).result) == ("done", {"rows": 3})
    finally:
        queue.flush()


def test_a_job_the_queue_cannot_take_is_failed_at_once(app):
    app = redis_app(app, "redis://127.0.0.1:9/0")  # nothing listens there
    with app.app_context():
        with pytest.raises(redis.ConnectionError):
            start_job("test-count", {"n": 1}, user_named("staff"))
        job = db.session.scalar(sa.select(Job))
        assert (job.state, job_status(job).error) == ("failed", "The job could not be queued.")


def test_the_worker_command_is_there(runner):
    result = runner.invoke(args=["jobs", "worker", "--help"])
    assert result.exit_code == 0 and "Run the job worker" in result.output
