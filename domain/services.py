"""Services: the dates and reasons each state needs, and how a service's changes enter the contact's history."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext

from domain.history import pending_changes
from models import Contact, Service

# Columns of a service whose changes the contact's history leaves out.
SERVICE_UNTRACKED = frozenset({"id", "contact_id", "created_at"})


def service_errors(
    state: str | None,
    start_date: date | None,
    end_date: date | None,
    suspend_reason: str | None,
    suspended_from: date | None,
    suspended_to: date | None,
) -> dict[str, str]:
    """The field errors of a service in `state`: a suspension needs a reason and a start, an end needs its date."""
    errors = {}
    if state == "suspended":
        if not (suspend_reason or "").strip():
            errors["suspend_reason"] = gettext("Say why the service is suspended.")
        if not suspended_from:
            errors["suspended_from"] = gettext("Say from when.")
        elif suspended_to and suspended_to < suspended_from:
            errors["suspended_to"] = gettext("The suspension cannot end before it starts.")
    if state == "ended" and not end_date:
        errors["end_date"] = gettext("An ended service needs its end date.")
    if end_date and start_date and end_date < start_date:
        errors["end_date"] = gettext("A service cannot end before it starts.")
    return errors


def clear_fields_of_other_states(service: Service) -> None:
    """Forget the suspension of an active service and the end date of a service not ended."""
    if service.state == "active":
        service.suspend_reason = service.suspended_from = service.suspended_to = None
    if service.state != "ended":
        service.end_date = None


def service_changes(service: Service) -> dict:
    """The service's pending changes, named so that the contact's history shows which service."""
    label = service.tariff_name or gettext("service")
    return {f"{label}: {field}": change for field, change in pending_changes(service, SERVICE_UNTRACKED).items()}


def end_services(contact: Contact, today: date | None = None) -> dict:
    """End each of the contact's services that is not ended (active or suspended), as of today.

    Returns their changes for the contact's history. A service that starts later ends the day it starts.
    """
    today = today or date.today()
    changes = {}
    for service in contact.services:
        if service.state == "ended":
            continue
        service.state = "ended"
        service.end_date = max(today, service.start_date)
        clear_fields_of_other_states(service)
        changes |= service_changes(service)
    return changes
