"""The provider's settings row and the reference data every installation has."""

from __future__ import annotations

import sqlalchemy as sa

from models import PaymentType, Setting, db


def get_settings() -> Setting:
    """The settings row, created with defaults the first time it is needed.

    The session keeps it for as long as it lives (a request): the identity map alone holds rows
    weakly, and a page asks for the settings several times (search length, numbering mode).
    """
    session = db.session()
    settings = session.info.get("settings")
    if settings is None or settings not in session:
        settings = session.get(Setting, 1)
        if settings is None:
            settings = Setting(id=1)
            session.add(settings)
            session.flush()
        session.info["settings"] = settings
    return settings


# The five payment types every installation has; their codes never change. Their names are stored
# in English and shown in the user's language (models.SYSTEM_PAYMENT_TYPE_NAMES).
SYSTEM_PAYMENT_TYPES = (
    ("bank_transfer", "Bank transfer"),
    ("direct_debit", "Direct debit"),
    ("bulk_payment", "Bulk payment"),
    ("postal_order", "Postal order"),
    ("cash", "Cash"),
)


def ensure_reference_data() -> None:
    """Create the settings row and the system payment types if they are missing (idempotent)."""
    get_settings()
    existing = set(db.session.scalars(sa.select(PaymentType.system_code)))
    has_default = db.session.scalar(sa.select(PaymentType.id).where(PaymentType.is_default)) is not None
    for position, (code, name) in enumerate(SYSTEM_PAYMENT_TYPES):
        if code not in existing:
            is_default = code == "bank_transfer" and not has_default
            db.session.add(PaymentType(system_code=code, name=name, position=position, is_default=is_default))
    db.session.commit()
