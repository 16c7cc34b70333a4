"""gunicorn settings for `make run` (the command line gives the bind address and the workers)."""

import gc


def post_worker_init(worker):
    # The app's own objects (views, forms, SQLAlchemy's mappers) live as long as the worker:
    # freezing them keeps the garbage collector from walking them again and again, which
    # otherwise stalls one request in twenty by some 50 ms (bench/bench_contact_list.py p95).
    gc.collect()
    gc.freeze()
