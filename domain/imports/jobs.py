"""The import's background jobs: the dry run ("check") and the commit ("save") of an uploaded file."""

from __future__ import annotations

from flask_babel import force_locale, lazy_gettext

from domain.imports.run import commit, dry_run
from models import db
from storage import import_files
from storage.jobs import job_handler

CHECK, SAVE = "contacts_import_check", "contacts_import_save"


def settings_key(meta: dict) -> list:
    """What a dry run checked: a commit is allowed only for the same file read and mapped the same way."""
    return [meta.get(name) for name in ("mode", "mapping", "encoding", "delimiter")]


@job_handler(CHECK, label=lazy_gettext("Contacts import – check"))
def check_file(job, on_progress, cancelled):
    token = job.params["token"]
    meta = import_files.load_meta(token)
    # The report's messages are kept as text: in the language of the clerk who started the run.
    with force_locale(job.params.get("locale")):
        report = dry_run(import_files.plan(token, meta), on_progress, cancelled)
    import_files.save_report(token, job.id, report)
    if not report.cancelled:
        meta["checked"] = {
            "job_id": job.id,
            "key": settings_key(meta),
            "clean": not report.has_errors,
            "warnings": report.warnings,
        }
        import_files.save_meta(token, meta)
    return {"token": token, "errors": report.errors, "warnings": report.warnings}


@job_handler(SAVE, label=lazy_gettext("Contacts import – save"))
def save_file(job, on_progress, cancelled):
    token = job.params["token"]
    meta = import_files.load_meta(token)
    with force_locale(job.params.get("locale")):
        report = commit(
            import_files.plan(token, meta),
            job.created_by,
            job.params.get("accept_warnings", False),
            on_progress,
            cancelled,
        )
    import_files.save_report(token, job.id, report)
    if not report.committed:
        # run_job commits "done" with the handler's writes: a refused import must leave none.
        db.session.rollback()
    return {"token": token, "added": report.added, "updated": report.updated, "committed": report.committed}
