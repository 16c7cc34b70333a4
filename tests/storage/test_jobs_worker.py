"""Jobs run by a real worker process (Huey's consumer, as `flask jobs worker` runs it): the panel
shows the progress while it counts; a worker killed mid-job leaves the job failed and none of
its rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from models import ClientGroup, Job, db
from storage.jobs import fail_stopped_jobs, start_job
from tests import job_handlers  # noqa: F401 (registers the test handlers the worker runs)
from tests.helpers import user_named

ROOT = Path(__file__).resolve().parents[2]
# The worker process: the test's database and instance folder, and the tests' job handlers.
WORKER = """
import sys
import tests.job_handlers
from storage.jobs import run_worker
from tests.helpers import make_app
app = make_app(sys.argv[1], INSTANCE_PATH=sys.argv[2], JOBS_HEARTBEAT_SECONDS=0.5)
with app.app_context():
    run_worker()
"""


# The worker process reads the queue in the test's instance folder, which an app chooses when it is made.
pytestmark = pytest.mark.own_app


@pytest.fixture
def worker(app, tmp_path):
    app.config["JOBS_WORKER_TIMEOUT"] = 5
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
    log.close()
    print((tmp_path / "worker.log").read_text())


def start(app, kind: str, **params) -> int:
    with app.app_context():
        return start_job(kind, params, user_named("staff")).id


def progress_until(staff, job_id: int, done, timeout: float = 30) -> list[dict]:
    """Ask the progress endpoint five times a second until `done(progress)`; every answer."""
    answers, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = staff.get(f"/admin/jobs/{job_id}/progress")
        assert response.status_code == 200
        answers.append(response.get_json())
        if done(answers[-1]):
            return answers
        time.sleep(0.2)
    raise AssertionError(f"the job did not get there: {answers[-3:]}")


def test_the_worker_runs_a_job_and_the_panel_shows_it_progress(app, staff, worker):
    job_id = start(app, "test-count", n=40, pause=0.1)
    answers = progress_until(staff, job_id, lambda progress: progress["finished"])
    running = [answer["done"] for answer in answers if answer["state"] == "running" and answer["done"]]
    assert len(set(running)) >= 3, answers  # the bar moved while the job ran
    assert running == sorted(running)
    assert answers[-1] | {"rate": ""} == answers[-1] | {
        "state": "done",
        "label": "Done",
        "done": 40,
        "total": 40,
        "percent": 100,
        "counts": "40 of 40",
        "time_left": "",
        "error": "",
        "rate": "",
    }
    html = staff.get(f"/admin/jobs/{job_id}/").get_data(as_text=True)
    assert "Done" in html and "40 of 40" in html
    with app.app_context():
        assert db.session.get(Job, job_id).result == {"counted": 40}


def test_a_worker_killed_mid_job_leaves_the_job_failed_and_none_of_its_rows(app, staff, worker):
    job_id = start(app, "test-rows", n=3000, pause=0.002, spill=True)
    # The panel reads while the job's transaction, spilled to the file, holds the write lock.
    progress_until(staff, job_id, lambda progress: progress["done"] >= 1000)
    assert staff.get("/admin/client_group/").status_code == 200
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    assert staff.get(f"/admin/jobs/{job_id}/progress").get_json()["state"] == "running"  # not yet: 5 s of silence
    final = progress_until(staff, job_id, lambda progress: progress["finished"], timeout=10)[-1]
    assert (final["state"], final["label"], final["error"]) == ("failed", "Failed", "The worker stopped.")
    assert "The worker stopped." in staff.get(f"/admin/jobs/{job_id}/").get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count()).where(ClientGroup.name.like("Job row %")))
        assert rows == 0
        assert fail_stopped_jobs() == 1  # as the next worker does when it starts
        assert db.session.get(Job, job_id).state == "failed"
