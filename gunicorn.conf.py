"""gunicorn settings for `make run` (the command line gives the bind address and the workers), and
the job worker that lives and stops with the panel."""

import gc
import subprocess
import sys


def post_worker_init(worker):
    # The app's own objects (views, forms, SQLAlchemy's mappers) live as long as the worker:
    # freezing them keeps the garbage collector from walking them again and again, which
    # otherwise stalls one request in twenty by some 50 ms (bench/bench_contact_list.py p95).
    gc.collect()
    gc.freeze()


def when_ready(server):
    # The background jobs' worker (`flask jobs worker`, storage/jobs.py) beside the panel. It is in
    # the terminal's process group: Ctrl+C reaches it as it reaches gunicorn.
    server.job_worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"])


def on_exit(server):
    # Stopping the panel any other way (SIGTERM) stops the worker too; a job it was running is
    # rolled back and shown as failed, never half-written.
    worker = getattr(server, "job_worker", None)
    if worker is not None and worker.poll() is None:
        worker.terminate()
        worker.wait(timeout=30)
