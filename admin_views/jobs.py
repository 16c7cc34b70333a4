"""Background jobs in the panel: the list (staff see their own, administrators all), a job's page
whose bar static/admin/jobs.js moves from the progress endpoint, and Cancel."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, flash, jsonify, redirect, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from admin_views.base import ProtectedView, has_role
from i18n.filters import show_datetime, show_number
from models import Job, db
from storage.jobs import JobStatus, cancel_job, job_status, kind_label

# The list shows the newest jobs: an office starts a few a day.
LIST_LIMIT = 100


def visible_jobs() -> sa.Select:
    """The jobs the logged-in user may see: an administrator all, staff their own."""
    query = sa.select(Job).options(so.joinedload(Job.created_by)).order_by(Job.id.desc())
    return query if has_role("admin") else query.where(Job.created_by_id == current_user.id)


def visible_job(job_id: int) -> Job:
    """The job, or 404 when it does not exist or is another clerk's (its existence is not told)."""
    job = db.session.scalar(visible_jobs().where(Job.id == job_id))
    if job is None:
        abort(404)
    return job


def show_duration(seconds: float | None) -> str:
    """`1 h 5 min`, `2 min 5 s`, `40 s`: the same units in Czech and English."""
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def progress_json(job: Job, status: JobStatus) -> dict:
    """What the job's page shows, in the user's language, for static/admin/jobs.js."""
    return {
        "started_at": show_datetime(job.started_at),
        "finished_at": show_datetime(job.finished_at),
        "state": status.state,
        "label": status.label,
        "finished": status.finished,
        "cancel_requested": status.cancel_requested,
        "done": status.done,
        "total": status.total,
        "percent": status.percent,
        "counts": counts_text(status),
        "rate": gettext("%(rate)s rows/s", rate=show_number(round(status.rate))) if status.rate else "",
        "time_left": gettext("%(time)s left", time=show_duration(status.seconds_left)) if status.seconds_left else "",
        "error": status.error,
    }


def counts_text(status: JobStatus) -> str:
    if status.total is None:
        return show_number(status.done)
    return gettext("%(done)s of %(total)s", done=show_number(status.done), total=show_number(status.total))


class JobsView(ProtectedView, BaseView):
    read_role = write_role = "staff"

    def _job_page_args(self, job: Job) -> dict:
        status = job_status(job)
        return {"job": job, "status": status, "progress": progress_json(job, status)}

    @expose("/")
    def index(self):
        jobs = db.session.scalars(visible_jobs().limit(LIST_LIMIT)).all()
        rows = [self._job_page_args(job) for job in jobs]
        return self.render("admin/jobs.html", rows=rows, limit=LIST_LIMIT, kind_label=kind_label)

    @expose("/<int:job_id>/")
    def details(self, job_id: int):
        return self.render("admin/job.html", kind_label=kind_label, **self._job_page_args(visible_job(job_id)))

    @expose("/<int:job_id>/progress")
    def progress(self, job_id: int):
        job = visible_job(job_id)
        return jsonify(progress_json(job, job_status(job)))

    @expose("/<int:job_id>/cancel", methods=["POST"])
    def cancel(self, job_id: int):
        if cancel_job(visible_job(job_id)):
            flash(gettext("The job will stop; nothing it wrote is kept."), "info")
        else:
            flash(gettext("The job has already ended."), "warning")
        return redirect(url_for(".details", job_id=job_id))


def register(admin) -> None:
    admin.add_view(
        JobsView(
            name=lazy_gettext("Jobs"),
            endpoint="jobs",
            url="/admin/jobs",
            menu_icon_type="fa",
            menu_icon_value="fa-tasks",
        )
    )
