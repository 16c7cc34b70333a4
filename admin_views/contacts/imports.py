"""Contacts › Import (administrators only: no setting lets staff import): upload a CSV/XLSX file,
check how it is read and map its columns, run a dry run in the background, read its report and
problem file, then save it in the background once a dry run of the same settings found no errors."""

from __future__ import annotations

import io
import itertools
import math

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_babel import get_locale, gettext, lazy_gettext
from flask_login import current_user

from admin_views.base import ProtectedView, has_role
from admin_views.jobs import progress_json
from domain.contact_fields import FIELDS
from domain.imports.jobs import CHECK, SAVE, settings_key
from domain.imports.mapping import NAME_PARTS, field_title, guess_mapping, mapping_names, save_mapping, saved_mapping
from domain.imports.problem_file import write_problem_file
from domain.imports.reading import DELIMITERS, UnreadableFile, detect, read_rows
from models import Job, db
from storage import import_files
from storage.jobs import job_status, start_job

PREVIEW_ROWS = 5
PROBLEMS_PER_PAGE = 50
ENCODING_LABELS = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1250": "Windows-1250"}
DELIMITER_LABELS = {",": lazy_gettext("Comma"), ";": lazy_gettext("Semicolon"), "\t": lazy_gettext("Tab")}
MODE_LABELS = {"add": lazy_gettext("Add new contacts"), "update": lazy_gettext("Update contacts by client number")}


def field_choices() -> list[tuple[str, str]]:
    names = [*NAME_PARTS, *(field.name for field in FIELDS)]
    return [("", gettext("Ignore"))] + [(name, field_title(name)) for name in names]


def preview(token: str, meta: dict) -> tuple[list[list[str]], str]:
    """The file's first rows as read with the chosen settings, or an error saying why it cannot be read."""
    try:
        source = detect(import_files.upload_path(token), meta.get("encoding"), meta.get("delimiter"))
        return [cells for _, cells in itertools.islice(read_rows(source), PREVIEW_ROWS + 1)], ""
    except UnreadableFile as error:
        return [], str(error)


class ImportView(ProtectedView, BaseView):
    read_role = write_role = "admin"

    def _meta(self, token: str) -> dict:
        meta = import_files.load_meta(token)
        if meta is None or (meta["user_id"] != current_user.id and not has_role("admin")):
            abort(404)
        return meta

    def _job(self, token: str, job_id: int, kind: str) -> Job:
        job = db.session.get(Job, job_id)
        if job is None or job.kind != kind or job.params.get("token") != token:
            abort(404)
        if job.created_by_id != current_user.id and not has_role("admin"):
            abort(404)
        return job

    @expose("/", methods=["GET", "POST"])
    def index(self):
        errors, form = {}, {"mode": request.form.get("mode", "add"), "numbers": request.form.get("numbers", "file")}
        if request.method == "POST":
            upload = request.files.get("file")
            if form["mode"] not in MODE_LABELS:
                errors["mode"] = gettext("Choose what the import does.")
            if upload is None or not upload.filename:
                errors["file"] = gettext("Choose a CSV or XLSX file.")
            if not errors:
                meta = {"user_id": current_user.id, "filename": upload.filename, **form}
                token = import_files.store_upload(upload.stream, meta)
                if token is None:
                    errors["file"] = gettext("The file is larger than 15 MB.")
                else:
                    source_meta = self._detected(token, meta)
                    import_files.save_meta(token, source_meta)
                    return redirect(url_for(".settings", token=token))
        return self.render("admin/imports/upload.html", form=form, errors=errors, modes=MODE_LABELS)

    def _detected(self, token: str, meta: dict) -> dict:
        try:
            source = detect(import_files.upload_path(token))
        except (UnreadableFile, OSError):
            return meta
        meta.update(kind=source.kind, encoding=source.encoding, delimiter=source.delimiter)
        rows, _ = preview(token, meta)
        mapping = guess_mapping(rows[0]) if rows else []
        if meta["numbers"] == "automatic":
            mapping = [None if name == "client_number" else name for name in mapping]
        meta["mapping"] = mapping
        return meta

    @expose("/<token>/", methods=["GET", "POST"])
    def settings(self, token: str):
        meta = self._meta(token)
        errors = {}
        if request.method == "POST":
            errors = self._apply(token, meta)
            if not errors and request.form.get("action") == "check":
                job = start_job(CHECK, {"token": token, "locale": str(get_locale())}, current_user)
                return redirect(url_for(".check", token=token, job_id=job.id))
            if not errors:
                return redirect(url_for(".settings", token=token))
        rows, read_error = preview(token, meta)
        headers = rows[0] if rows else []
        mapping = (meta.get("mapping") or []) + [None] * len(headers)
        return self.render(
            "admin/imports/settings.html",
            token=token,
            meta=meta,
            rows=rows[1:],
            headers=headers,
            mapping=mapping,
            read_error=read_error,
            errors=errors,
            choices=field_choices(),
            saved_names=mapping_names(),
            encodings=ENCODING_LABELS,
            delimiters=DELIMITER_LABELS,
            modes=MODE_LABELS,
            form=request.form,
        )

    def _apply(self, token: str, meta: dict) -> dict:
        """Take the posted settings into the upload's meta; field errors, if any (nothing taken then)."""
        errors, form = {}, request.form
        if meta.get("kind") == "csv":
            if form.get("encoding") not in ENCODING_LABELS:
                errors["encoding"] = gettext("Choose an encoding.")
            if form.get("delimiter") not in DELIMITERS:
                errors["delimiter"] = gettext("Choose a delimiter.")
        if form.get("mode") not in MODE_LABELS:
            errors["mode"] = gettext("Choose what the import does.")
        if errors:
            return errors
        changed = dict(meta)
        if meta.get("kind") == "csv":
            changed.update(encoding=form["encoding"], delimiter=form["delimiter"])
        changed["mode"] = form["mode"]
        rows, _ = preview(token, changed)
        headers = rows[0] if rows else []
        chosen = form.get("saved_mapping", "")
        if chosen and form.get("action") == "load":
            mapping = saved_mapping(chosen, headers)
            if mapping is None:
                return {"saved_mapping": gettext("No saved mapping is named %(name)s.", name=chosen)}
        else:
            valid = {name for name, _ in field_choices()}
            mapping = [form.get(f"column-{index}", "") for index in range(len(headers))]
            mapping = [name if name in valid and name else None for name in mapping]
        changed["mapping"] = mapping
        name = form.get("mapping_name", "").strip()
        if form.get("action") == "save_mapping":
            if not name:
                return {"mapping_name": gettext("Type a name for the mapping.")}
            save_mapping(name, headers, mapping, current_user)
            db.session.commit()
            flash(gettext("The mapping was saved as %(name)s.", name=name), "success")
        meta.update(changed)
        import_files.save_meta(token, meta)
        return {}

    @expose("/<token>/check/<int:job_id>/")
    def check(self, token: str, job_id: int):
        meta, job = self._meta(token), self._job(token, job_id, CHECK)
        return self._job_page(token, meta, job, "admin/imports/report.html")

    @expose("/<token>/save/<int:job_id>/")
    def saved(self, token: str, job_id: int):
        meta, job = self._meta(token), self._job(token, job_id, SAVE)
        return self._job_page(token, meta, job, "admin/imports/saved.html")

    def _job_page(self, token: str, meta: dict, job: Job, template: str):
        status = job_status(job)
        report = import_files.load_report(token, job.id) if job.state == "done" else None
        problems, page, pages = [], 0, 0
        if report is not None:
            pages = max(1, math.ceil(len(report.problems) / PROBLEMS_PER_PAGE))
            page = min(max(request.args.get("page", 0, type=int), 0), pages - 1)
            problems = report.problems[page * PROBLEMS_PER_PAGE : (page + 1) * PROBLEMS_PER_PAGE]
        checked = meta.get("checked") or {}
        can_save = checked.get("job_id") == job.id and checked.get("clean") and checked["key"] == settings_key(meta)
        return self.render(
            template,
            token=token,
            meta=meta,
            job=job,
            status=status,
            progress=progress_json(job, status),
            report=report,
            problems=problems,
            page=page,
            pages=pages,
            can_save=can_save,
        )

    @expose("/<token>/check/<int:job_id>/problems.<kind>")
    def problems(self, token: str, job_id: int, kind: str):
        self._meta(token)
        self._job(token, job_id, CHECK)
        report = import_files.load_report(token, job_id)
        if report is None or kind not in ("csv", "xlsx"):
            abort(404)
        stream = io.BytesIO()
        write_problem_file(report, stream, kind)
        stream.seek(0)
        name = gettext("import-problems") + f".{kind}"
        return send_file(stream, as_attachment=True, download_name=name)

    @expose("/<token>/save", methods=["POST"])
    def save(self, token: str):
        meta = self._meta(token)
        checked = meta.get("checked") or {}
        if not checked.get("clean") or checked.get("key") != settings_key(meta):
            flash(gettext("Run a dry run of these settings without errors first."), "danger")
            return redirect(url_for(".settings", token=token))
        accept = bool(request.form.get("accept_warnings"))
        if checked.get("warnings") and not accept:
            flash(gettext("Accept the warnings to save the import."), "danger")
            return redirect(url_for(".check", token=token, job_id=checked["job_id"]))
        job = start_job(SAVE, {"token": token, "accept_warnings": accept, "locale": str(get_locale())}, current_user)
        return redirect(url_for(".saved", token=token, job_id=job.id))


def register(admin, category) -> None:
    admin.add_view(
        ImportView(
            name=lazy_gettext("Import"), category=category, endpoint="contact_import", url="/admin/contacts/import"
        )
    )
