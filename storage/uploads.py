"""Uploaded images (invoice-group logos and stamps): checked by content, re-encoded, kept in instance/."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
THUMBNAIL_SIZE = (160, 160)
ACCEPTED_FORMATS = {"PNG", "JPEG"}


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_image(data: bytes, stem: str) -> str:
    """Check `data` is a PNG or JPEG within the limits, store it re-encoded as PNG with a thumbnail.

    Returns the stored file's name (never a path the user chose). Raises ValueError with a
    message for the clerk when the file is refused.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(gettext("The image is larger than 2 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValueError(gettext("Only PNG and JPEG images are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValueError(gettext("The image is larger than 4000 × 4000 pixels."))
            probe.verify()
        # verify() leaves the image unusable; open again to decode the pixels for real.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValueError(gettext("This file is not a readable PNG or JPEG image.")) from None
    name = f"{stem}-{secrets.token_hex(8)}.png"
    folder = upload_folder()
    # Re-encoding drops anything riding along in the file (metadata, appended payloads).
    image.save(folder / name, format="PNG")
    image.thumbnail(THUMBNAIL_SIZE)
    image.save(folder / thumbnail_name(name), format="PNG")
    return name


def thumbnail_name(name: str) -> str:
    return name.removesuffix(".png") + "-thumb.png"


def stored_image_path(name: str | None, thumbnail: bool = False) -> Path | None:
    """The file of a stored image name, or None; names are ours, but never trusted as paths."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = upload_folder() / (thumbnail_name(name) if thumbnail else name)
    return path if path.is_file() else None


def delete_image(name: str | None) -> None:
    for thumbnail in (False, True):
        path = stored_image_path(name, thumbnail)
        if path is not None:
            path.unlink()
