"""Static files under URLs that name their content, so that browsers keep them for a year.

Every `url_for` of a static endpoint (ours, `static`, and Flask-Admin's, `admin.static`) gets
`?v=<hash of the file's content>`; a request carrying the file's current hash is answered as
immutable, any other (a font a stylesheet names, an old page, a path written by hand) as kept
for an hour. A changed file gets a new URL, so nobody sees a stale one; the hash depends only on
the content, so every gunicorn worker writes the same URL.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

from flask import Flask, current_app, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
# Without the right hash the file may change under the same URL: kept an hour, then asked for
# again (a 304 while unchanged). Flask-Admin's fonts and images, named by its stylesheets, are such.
SHORT = "public, max-age=3600"


def is_static(endpoint: str | None) -> bool:
    return endpoint == "static" or (endpoint or "").endswith(".static")


def static_path(endpoint: str, filename: str) -> str | None:
    """The file that `endpoint` serves for `filename`, or None when there is none."""
    blueprint = endpoint.rpartition(".")[0]
    folder = current_app.blueprints[blueprint].static_folder if blueprint else current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    return path if path and os.path.isfile(path) else None


def content_version(path: str) -> str:
    """A short hash of the file's content, computed once per version of the file."""
    stat = os.stat(path)
    # The modification time is part of the key so an edited file (a developer's) gets a new hash.
    return _hash_file(path, stat.st_mtime_ns, stat.st_size)


@cache
def _hash_file(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:12]


def add_content_version(endpoint: str, values: dict) -> None:
    """`url_for` hook: a static file's URL carries its content's hash (replacing Flask-Admin's
    `v=<library version>`, which does not change when the file does)."""
    if is_static(endpoint) and "filename" in values:
        path = static_path(endpoint, values["filename"])
        if path:
            values["v"] = content_version(path)


def cache_control() -> str:
    """Cache-Control for a response of a static endpoint to the current request."""
    path = static_path(request.endpoint, (request.view_args or {}).get("filename", ""))
    return IMMUTABLE if path and request.args.get("v") == content_version(path) else SHORT


def versioned(url: str, app: Flask) -> str:
    """A path into our static folder written out (a view's `extra_js`) with its content's hash."""
    prefix = f"{app.static_url_path}/"
    if not url.startswith(prefix) or "?" in url:
        return url
    path = safe_join(app.static_folder, url.removeprefix(prefix))
    return f"{url}?v={content_version(path)}" if path and os.path.isfile(path) else url


def init_app(app: Flask) -> None:
    """Version static URLs; call after the admin views exist (their `extra_js`/`extra_css` are
    plain paths that Flask-Admin prints as written, so they get their hash here, once)."""
    app.url_defaults(add_content_version)
    for admin in app.extensions.get("admin", []):
        for view in admin._views:
            for name in ("extra_js", "extra_css"):
                if getattr(view, name, None):
                    setattr(view, name, [versioned(url, app) for url in getattr(view, name)])
