"""Every page outside the contacts area speaks the browser's language: a Czech page shows no English
interface word, an English page no Czech one (the contacts area and the portal have their own test)."""

from __future__ import annotations

from datetime import date

import pytest

from models import ClientGroup, ClientStatus, InfoMessage, Location, PaymentType, ServiceType, User, db
from tests.helpers import csrf_token, czech_words_in, english_words_in, make_app, user_named, visible_text

# The tests' data: neither English nor Czech words, but "Praha"; and the socket label pattern's
# placeholders, which are typed as they are.
DATA = (
    "Alpha",
    "Omega",
    "Sigma",
    "Praha",
    "Kappa",
    "Delta",
    "Turbo",
    "R1-1",
    "R1",
    "{switchboard}",
    "{position}",
    "{floor}",
)
CODE_LISTS = {
    "client_group": ClientGroup,
    "client_status": ClientStatus,
    "location": Location,
    "service_type": ServiceType,
    "payment_type": PaymentType,
}


@pytest.fixture
def data(app, make_contact, make_service, make_socket, make_invoice_group) -> dict:
    """One row of each kind the pages show, with names in neither language; their ids by kind."""
    chain = make_socket(city="Praha", street="Alpha", building="12", switchboard="R1", label="R1-1")
    group = make_invoice_group(name="Sigma", company_name="Sigma Omega", series_prefix="2026")
    contact = make_contact(name="Delta Kappa", invoice_group_id=group.id)
    ids = dict(chain._asdict(), invoice_group=group.id, contact=contact)
    ids["service"] = make_service(contact, service_type="Kappa", tariff_name="Turbo")
    with app.app_context():
        for endpoint, model in CODE_LISTS.items():
            row = db.session.query(model).filter_by(name="Kappa").one_or_none() or model(name="Alpha")
            db.session.add(row)
            db.session.flush()
            ids[endpoint] = row.id
        ids["payment_type_system"] = db.session.query(PaymentType.id).filter_by(system_code="cash").scalar()
        message = InfoMessage(title="Omega", body="<p>Alpha</p>", valid_from=date(2026, 1, 1), audience="all")
        db.session.add(message)
        db.session.commit()
        ids["info_message"] = message.id
        ids["user"] = user_named("staff").id
        ids["admin_user"] = db.session.query(User.id).filter_by(role="admin").scalar()
    return ids


def pages_of(endpoint: str, row: str | None = None, *, create=True, details=False) -> list[str]:
    """A list view's list, and its create and edit forms (and details page) for the row `row` names."""
    row = row or endpoint
    urls = [f"/admin/{endpoint}/"]
    if create:
        urls.append(f"/admin/{endpoint}/new/")
    urls.append(f"/admin/{endpoint}/edit/?id={{{row}}}")
    if details:
        urls.append(f"/admin/{endpoint}/details/?id={{{row}}}")
    return urls


# Pages by area, each seen by the role that may open it (staff reads code lists and the network too).
PAGES = {
    "home": [("staff", "/admin/"), ("admin", "/admin/")],
    **{
        f"code list {endpoint}": [("admin", url) for url in pages_of(endpoint)] + [("staff", f"/admin/{endpoint}/")]
        for endpoint in CODE_LISTS
    },
    "code list payment_type (system)": [("admin", "/admin/payment_type/edit/?id={payment_type_system}")],
    "CATV city": [("admin", url) for url in pages_of("city", details=True)],
    "CATV street": [("admin", url) for url in pages_of("street", details=True)]
    + [("admin", "/admin/street/?flt1_0={city}")],
    "CATV building": [("admin", url) for url in pages_of("building", details=True)]
    + [("admin", "/admin/building/?flt1_0={street}"), ("admin", "/admin/building/sockets/?id={building}")],
    "CATV switchboard": [("admin", url) for url in pages_of("switchboard", details=True)]
    + [("admin", "/admin/switchboard/?flt1_0={building}")],
    "CATV socket": [("admin", url) for url in pages_of("socket", details=True)]
    + [("staff", "/admin/socket/"), ("staff", "/admin/socket/details/?id={socket}")],
    "CATV socket history": [("staff", "/admin/socket_assignment/")],
    "services": [("staff", url) for url in pages_of("service", details=True)]
    + [("staff", "/admin/service/edit/?id={service}&state=suspended")],
    "users": [("admin", url) for url in pages_of("user", details=True)],
    "settings": [("admin", "/admin/setting/"), ("admin", "/admin/setting/edit/?id=1")],
    "info messages": [("admin", url) for url in pages_of("info_message", details=True)],
    "invoice groups": [("admin", url) for url in pages_of("invoice_group", details=True)]
    + [("staff", "/admin/invoice_group/")],
}


def each_filter_applied(app, endpoint: str, ids: dict) -> list[str]:
    """The view's list once with each of its filters applied (an option filter with its first option;
    the page lists every option of every filter anyway)."""
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == endpoint)
    urls = []
    for key, (_, flt) in view._filter_args.items():
        with app.test_request_context():
            options = flt.get_options(view)
        urls.append(f"/admin/{endpoint}/?flt1_{key}={options[0][0] if options else ids['contact']}")
    return urls


def other_language_words(clients: dict, pages, ids: dict) -> dict[str, list[str]]:
    """{"cs /url": English words it shows, "en /url": Czech words it shows} for each page showing any."""
    found = {}
    for language, words_in in (("cs", english_words_in), ("en", czech_words_in)):
        for role, url in pages:
            url = url.format(**ids)
            response = clients[role].get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, (url, response.status_code)
            words = words_in(response.get_data(as_text=True), DATA)
            if words:
                found[f"{language} {url}"] = words
    return found


@pytest.mark.parametrize("area", PAGES)
def test_every_page_speaks_one_language(staff, admin, data, area):
    assert other_language_words({"staff": staff, "admin": admin}, PAGES[area], data) == {}


def test_the_services_list_speaks_one_language_with_each_filter_applied(app, staff, data):
    pages = [("staff", url) for url in each_filter_applied(app, "service", data)]
    assert len(pages) > 3
    assert other_language_words({"staff": staff}, pages, data) == {}


def fault():
    raise RuntimeError("a fault of the app")


def words_in_other_language(response, language: str) -> list[str]:
    html = response.get_data(as_text=True)
    return english_words_in(html, DATA) if language == "cs" else czech_words_in(html, DATA)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_error_pages_speak_one_language(app, database, staff, language):
    headers = {"Accept-Language": language}
    responses = {
        400: staff.get("/admin/client_group/?endpoint=x", headers=headers),
        403: staff.get("/admin/user/", headers=headers),
        404: staff.get("/admin/no-such-page/", headers=headers),
        405: staff.get("/admin/client_group/quick-create/", headers=headers),
        "CSRF": staff.post("/logout", headers=headers),
    }
    # A fault of the app: its own app, where an exception becomes the error page as in production.
    faulty = make_app(database.fresh_url(), PROPAGATE_EXCEPTIONS=False)
    faulty.add_url_rule("/fault", "fault", fault)
    responses[500] = faulty.test_client().get("/fault", headers=headers)
    assert {page: response.status_code for page, response in responses.items()} == {
        400: 400,
        403: 403,
        404: 404,
        405: 405,
        "CSRF": 400,
        500: 500,
    }
    assert all(f'<html lang="{language}">' in response.get_data(as_text=True) for response in responses.values())
    found = {page: words_in_other_language(response, language) for page, response in responses.items()}
    assert {page: words for page, words in found.items() if words} == {}


def test_flask_admins_own_words_are_the_offices_czech(admin, data):
    """Flask-Admin's catalogue says "Vývozní" for Export, "50 položky", "Vytvořit Nový Záznam" and
    "modely" for records; translations/cs/LC_MESSAGES/admin.po corrects it."""
    html = admin.get("/admin/client_group/", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    text = visible_text(html)
    for wrong in ("Vývozní", "50 položky", "Vytvořit", "Nový Záznam", "jeden model", "modely"):
        assert wrong not in text
    for right in ("Exportovat", "50 záznamů", "Přidat záznam", "Vyberte alespoň jeden záznam."):
        assert right in text


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_refused_delete_speaks_one_language(admin, data, language):
    """Deleting a service type that a service uses is refused with a message that says so."""
    response = admin.post(
        "/admin/service_type/delete/",
        data={"id": data["service_type"], "csrf_token": csrf_token(admin, "/admin/")},
        headers={"Accept-Language": language},
        follow_redirects=True,
    )
    assert ("Nic nebylo smazáno" if language == "cs" else "Nothing was deleted") in response.get_data(as_text=True)
    assert words_in_other_language(response, language) == []
