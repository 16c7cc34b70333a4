"""Uploaded import files: kept owner-only in instance/imports/<random token>/ beside the upload's
settings (meta.json) and its dry runs' reports, and removed a day after the upload."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from flask import current_app

from domain.imports.reading import detect
from domain.imports.rows import Problem
from domain.imports.run import Plan, Report

# Under the app's MAX_CONTENT_LENGTH (16 MB), which refuses a larger request before any view sees it.
MAX_IMPORT_BYTES = 15 * 1024 * 1024
KEEP_SECONDS = 24 * 3600


def imports_folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _folder(token: str) -> Path | None:
    if not token.isalnum():  # ours, but never trusted as a path
        return None
    folder = imports_folder() / token
    return folder if folder.is_dir() else None


def store_upload(stream, meta: dict) -> str | None:
    """Keep the uploaded file under a new token; None when it is larger than the limit."""
    remove_old_uploads()
    token = secrets.token_hex(16)
    folder = imports_folder() / token
    folder.mkdir(mode=0o700)
    path = folder / "file"
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        size = 0
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_IMPORT_BYTES:
                break
            out.write(chunk)
    if size > MAX_IMPORT_BYTES:
        shutil.rmtree(folder)
        return None
    save_meta(token, meta)
    return token


def remove_old_uploads() -> None:
    limit = time.time() - KEEP_SECONDS
    for folder in imports_folder().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def remove_upload(token: str) -> None:
    folder = _folder(token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _write(path: Path, data) -> None:
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        json.dump(data, out)


def load_meta(token: str) -> dict | None:
    folder = _folder(token)
    if folder is None:
        return None
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def save_meta(token: str, meta: dict) -> None:
    _write(imports_folder() / token / "meta.json", meta)


def upload_path(token: str) -> str:
    return str(imports_folder() / token / "file")


def plan(token: str, meta: dict) -> Plan:
    return Plan(
        upload_path(token),
        mode=meta["mode"],
        mapping=meta.get("mapping"),
        encoding=meta.get("encoding"),
        delimiter=meta.get("delimiter"),
    )


def save_report(token: str, job_id: int, report: Report) -> None:
    data = asdict(report)
    data.pop("source")
    _write(imports_folder() / token / f"report-{int(job_id)}.json", data)


def load_report(token: str, job_id: int) -> Report | None:
    folder = _folder(token)
    path = folder / f"report-{int(job_id)}.json" if folder else None
    if path is None or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    data["problems"] = [Problem(**problem) for problem in data["problems"]]
    meta = load_meta(token)
    report = Report(**data)
    report.source = detect(upload_path(token), meta.get("encoding"), meta.get("delimiter"))
    return report
