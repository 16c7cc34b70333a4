"""The contacts list: indexed accent-insensitive search, filters, client/contact, row colours (an edge and a badge)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from admin_views.contacts import list_query
from models import ClientGroup, ClientStatus, Contact, Service, ServiceType, Setting, db, utcnow
from storage.search_index import matches_search
from tests.helpers import export_csv


def names_in(html: str) -> set[str]:
    return set(re.findall(r'<td class="col-name">\s*(.*?)\s*</td>', html, re.S))


def listing(client, **params) -> str:
    return client.get("/admin/contact/", query_string=params).get_data(as_text=True)


@pytest.fixture
def people(app, make_contact):
    make_contact(name="Novák Jan", phone="+420601123456", city="Praha")
    make_contact(name="Žlutý kůň s.r.o.", city="Brno", email="kun@example.cz")
    make_contact(name="Dvořáková Marie", city="Ostrava", internal_note_1="brána 42")
    make_contact(name="Smazaný Novák", deleted_at=utcnow())


@pytest.mark.parametrize(
    "term,expected",
    [
        ("novak", {"Novák Jan"}),
        ("NOVÁK", {"Novák Jan"}),
        ("zluty", {"Žlutý kůň s.r.o."}),
        ("kun brno", {"Žlutý kůň s.r.o."}),
        ("601 123 456", {"Novák Jan"}),
        ("601123456", {"Novák Jan"}),
        ("brana 42", {"Dvořáková Marie"}),
        ("kun@example", {"Žlutý kůň s.r.o."}),
        ("praha ostrava", set()),
        ("%", set()),
    ],
)
def test_search_is_case_and_accent_insensitive(staff, people, term, expected):
    assert names_in(listing(staff, search=term)) == expected


def test_search_finds_a_contact_after_it_is_edited(app, staff, people):
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact).where(Contact.name == "Novák Jan")).one()
        contact.street = "Pražská 99"
        db.session.commit()
    assert names_in(listing(staff, search="prazska 99")) == {"Novák Jan"}


def test_too_short_search_says_so_instead_of_scanning(app, staff, people):
    with app.app_context():
        db.session.get(Setting, 1).min_search_length = 3
        db.session.commit()
    html = listing(staff, search="no")
    assert "Type at least 3 characters to search." in html
    assert names_in(html) == set()


def test_client_is_derived_from_services_and_filterable(app, staff, make_contact):
    contact_id = make_contact(name="Klient Karel")
    make_contact(name="Kontakt Karla")
    with app.app_context():
        internet = ServiceType(name="Internet")
        service = Service(contact_id=contact_id, service_type=internet, tariff_name="Fast", state="active")
        db.session.add(service)
        db.session.commit()
        assert db.session.get(Contact, contact_id).is_client
        service.state = "ended"
        db.session.commit()
        db.session.expire_all()
        assert not db.session.get(Contact, contact_id).is_client
        service.state = "suspended"
        db.session.commit()
    html = listing(staff, flt1_contact_or_client_is="client")
    assert names_in(html) == {"Klient Karel"}
    assert 'badge-primary">client<' in html
    assert names_in(listing(staff, flt1_contact_or_client_is="contact")) == {"Kontakt Karla"}
    assert names_in(listing(staff, sort=11)) == {"Klient Karel", "Kontakt Karla"}


def test_filters_combine_and_stay_in_the_url(app, staff, make_contact):
    with app.app_context():
        vip, late = ClientGroup(name="VIP"), ClientStatus(name="Late", colour="#ff0000")
        db.session.add_all([vip, late])
        db.session.commit()
        vip_id, late_id = vip.id, late.id
    make_contact(name="A both", client_group_id=vip_id, client_status_id=late_id, is_marked=True)
    make_contact(name="B group only", client_group_id=vip_id)
    make_contact(
        name="C old", client_group_id=vip_id, client_status_id=late_id, created_at=utcnow() - timedelta(days=400)
    )
    params = {"flt1_group_equals": vip_id, "flt2_status_equals": late_id}
    html = listing(staff, **params)
    assert names_in(html) == {"A both", "C old"}
    assert f"flt2_status_equals={late_id}" in html  # page links keep the filters
    today = date.today().isoformat()
    params["flt3_created_between"] = f"{(date.today() - timedelta(days=30)).isoformat()} to {today}"
    assert names_in(listing(staff, **params)) == {"A both"}
    assert names_in(listing(staff, flt1_marked_equals="1")) == {"A both"}


def test_rows_have_an_edge_marked_green_else_status_a_status_badge_and_a_legend(app, staff, make_contact):
    with app.app_context():
        late = ClientStatus(name="Late", colour="#ff0000")
        bad = ClientStatus(name="Bad colour", colour="url(x)")
        db.session.add_all([late, bad])
        db.session.commit()
        late_id, bad_id = late.id, bad.id
    make_contact(
        name="Marked One",
        is_marked=True,
        marked_reason='Pays in <cash>" onmouseover="alert(1)',
        client_status_id=late_id,
    )
    make_contact(name="Late One", client_status_id=late_id)
    make_contact(name="Bad One", client_status_id=bad_id)
    html = listing(staff)
    rows = {name: row for row in html.split("<tr")[1:] for name in names_in("<tr" + row)}
    assert 'data-kind="marked"' in rows["Marked One"]
    assert 'title="Pays in &lt;cash&gt;&quot; onmouseover=&quot;alert(1)"' in rows["Marked One"]
    assert 'onmouseover="' not in html
    assert 'data-kind="status" data-colour="#ff0000"' in rows["Late One"]
    assert "data-kind" not in rows["Bad One"] and "url(x)" not in html
    # The colour is the row's edge (contact_list.css), not a fill behind its text.
    assert 'class="row-marker row-marked"' in rows["Marked One"] and "row-coloured" not in html
    # The status is a badge in its colour, its text black or white to be read.
    late = '<span class="badge status-badge" style="background-color: #ff0000; color: #000000">Late</span>'
    assert late in rows["Late One"] and late in rows["Marked One"]
    assert '<td class="col-client_status">Bad colour</td>' in rows["Bad One"]
    legend = html.split('id="colour-legend"')[1].split("</div>")[0]
    assert "Marked client" in legend and late in legend and "Bad colour" not in legend


def test_row_buttons_open_that_contact_and_come_back_to_the_same_list(staff, make_contact):
    ids = {name: make_contact(name=name) for name in ("Novák Ema", "Novák Olga")}
    html = listing(staff, search="novák", sort=3)
    for name, contact_id in ids.items():
        row = next(row for row in html.split("<tr")[1:] if name in row)
        assert f'class="action-checkbox" value="{contact_id}"' in row
        links = {
            urlsplit(unescape(link)).path: parse_qs(urlsplit(unescape(link)).query)
            for link in re.findall(r'<a class="icon" href="([^"]+)"', row)
        }
        assert set(links) == {"/admin/contact/details/", "/admin/contact/edit/"}
        for args in links.values():
            assert args["id"] == [str(contact_id)]
            back = parse_qs(urlsplit(args["url"][0]).query)
            assert back["search"] == ["novák"] and back["sort"] == ["3"]
        card = staff.get(unescape(re.search(r'href="([^"]+)" title="Client card"', row).group(1)))
        assert card.status_code == 200 and name in card.get_data(as_text=True)


def test_names_are_escaped_in_the_list(staff, make_contact):
    make_contact(name='<script>alert("x")</script>')
    html = listing(staff)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_list_makes_no_query_per_row(app, staff, make_contact):
    with app.app_context():
        status = ClientStatus(name="S", colour="#00ff00")
        group = ClientGroup(name="G")
        db.session.add_all([status, group])
        db.session.commit()
        ids = (status.id, group.id)

    def queries_for_list() -> int:
        statements = []
        with app.app_context():
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            try:
                staff.get("/admin/contact/")
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    for _ in range(3):
        make_contact(client_status_id=ids[0], client_group_id=ids[1])
    few = queries_for_list()
    for _ in range(30):
        make_contact(client_status_id=ids[0], client_group_id=ids[1])
    assert queries_for_list() == few


def test_demo_contacts_are_found_by_the_indexed_search(app, staff, runner):
    assert runner.invoke(args=["demo-data", "--contacts", "60", "--seed", "3"]).exit_code == 0
    with app.app_context():
        name = db.session.scalars(sa.select(Contact.name).order_by(Contact.id).limit(1)).one()
    surname = name.split()[0]
    assert name in names_in(listing(staff, search=surname.lower()))


def list_count(html: str) -> int:
    return int(re.search(r"List \((\d+)\)", html).group(1))


def test_count_follows_every_change_to_the_contacts(app, staff, make_contact):
    """The list caches its count until the contacts or services change, whoever changes them."""
    first = make_contact(name="Counted One")
    make_contact(name="Counted Two")
    assert list_count(listing(staff)) == 2
    assert list_count(listing(staff)) == 2  # served from the cache
    make_contact(name="Counted Three")
    assert list_count(listing(staff)) == 3
    with app.app_context():
        db.session.execute(sa.update(Contact).where(Contact.id == first).values(deleted_at=utcnow()))
        db.session.commit()
    html = listing(staff)
    assert list_count(html) == 2 and "Counted One" not in names_in(html)
    clients = {"flt1_contact_or_client_is": "client"}
    assert "List (" not in listing(staff, **clients)  # no clients yet: an empty list shows no count
    with app.app_context():
        internet = ServiceType(name="Internet")
        db.session.add(internet)
        db.session.flush()
        second = db.session.scalar(sa.select(Contact.id).where(Contact.name == "Counted Two"))
        db.session.add(
            Service(contact_id=second, service_type_id=internet.id, tariff_name="Fast", start_date=date(2026, 1, 1))
        )
        db.session.commit()
    assert list_count(listing(staff, **clients)) == 1


def test_new_code_list_entries_appear_in_the_filters_and_legend(app, staff):
    assert "Night shift" not in listing(staff)
    with app.app_context():
        db.session.add_all([ClientGroup(name="Night shift"), ClientStatus(name="Overdue", colour="#123456")])
        db.session.commit()
    html = listing(staff)
    assert "Night shift" in html.split('id="filter-groups-data"')[1]
    assert "Overdue" in html.split('id="colour-legend"')[1].split("</div>")[0]


def names_on_pages(client, pages: int, **params) -> list[str]:
    return [
        name
        for page in range(pages)
        for name in re.findall(r'<td class="col-name">\s*(.*?)\s*</td>', listing(client, page=page, **params), re.S)
    ]


def test_equal_sort_values_keep_one_order_across_pages(staff, make_contact):
    for n in range(30):
        make_contact(name=f"Same city {n:02d}", city="Praha")
    ascending = names_on_pages(staff, 2, sort=3, page_size=25)  # column 3: city
    assert sorted(ascending) == [f"Same city {n:02d}" for n in range(30)]
    assert names_on_pages(staff, 2, sort=3, desc=1, page_size=25) == ascending[::-1]


def test_names_and_cities_sort_by_czech_rules(staff, make_contact):
    """Č after C, Ch after H, ř after r, accents only between otherwise equal words (issue 15)."""
    for name, city in (
        ("Dvořák", "Ústí nad Labem"),
        ("Chalupa", "Čáslav"),
        ("Hrubý", "Cheb"),
        ("Cibulka", "Hradec Králové"),
        ("Čapek", "Cvikov"),
        ("Dvorský", "Řevnice"),
    ):
        make_contact(name=name, city=city)
    assert names_on_pages(staff, 1) == ["Cibulka", "Čapek", "Dvorský", "Dvořák", "Hrubý", "Chalupa"]
    # Cvikov, Čáslav, Hradec Králové, Cheb, Řevnice, Ústí nad Labem
    assert names_on_pages(staff, 1, sort=3) == ["Čapek", "Chalupa", "Cibulka", "Hrubý", "Dvorský", "Dvořák"]
    assert names_on_pages(staff, 1, sort=3, desc=1) == ["Dvořák", "Dvorský", "Hrubý", "Cibulka", "Chalupa", "Čapek"]


def test_search_pages_are_in_name_order(staff, make_contact):
    """A search with few matches is sorted by the database, not walked along an index (PostgreSQL)."""
    names = [f"Novák {n:02d}" for n in range(28)] + ["Nováková Eva", "Novotný Petr"]
    for name in reversed(names):
        make_contact(name=name)
    make_contact(name="Adámek Jan")
    found = names_on_pages(staff, 2, search="novak", page_size=25)
    assert found == sorted(name for name in names if name.startswith("Novák"))


def test_sort_and_page_links_keep_the_search_filters_and_page_size(app, staff, make_contact):
    with app.app_context():
        group = ClientGroup(name="Links")
        db.session.add(group)
        db.session.commit()
        group_id = group.id
    for n in range(30):
        make_contact(name=f"Novák {n:02d}", client_group_id=group_id)
    html = listing(staff, search="novák", flt1_group_equals=group_id, page_size=25)
    sort_city = re.search(r'<a href="([^"]+)" title="Sort by City"', html).group(1)
    page_two = re.search(r'class="page-link" href="([^"]+)">2<', html).group(1)
    for link in (sort_city, page_two):
        args = parse_qs(urlsplit(unescape(link)).query)
        group_filter = [values for name, values in args.items() if name.endswith("_group_equals")]
        assert args["search"] == ["novák"] and group_filter == [[str(group_id)]] and args["page_size"] == ["25"]
    assert parse_qs(urlsplit(unescape(sort_city)).query)["sort"] == ["3"]


@pytest.fixture
def coded_contacts(app, make_contact, make_invoice_group) -> dict[str, int | None]:
    """60 contacts in groups, statuses and invoice groups whose names sort unlike their ids, some
    in none; every third is a client. Returns the groups' ids by name ("" for no group)."""
    with app.app_context():
        groups = [ClientGroup(name=name) for name in ("Zeta", "Alpha", "Mid")]
        statuses = [ClientStatus(name=name) for name in ("Waiting", "Active")]
        db.session.add_all(groups + statuses)
        db.session.commit()
        group_ids = {group.name: group.id for group in groups} | {"": None}
        status_ids = [status.id for status in statuses] + [None]
    invoice_group_ids = [make_invoice_group(name=name).id for name in ("Yonder", "Bravo")]
    ids = [
        make_contact(
            name=f"Contact {n * 37 % 60:02d}",
            client_group_id=list(group_ids.values())[n % 4],
            client_status_id=status_ids[n % 3],
            invoice_group_id=invoice_group_ids[n % 2],
        )
        for n in range(60)
    ]
    with app.app_context():
        internet = ServiceType(name="Internet")
        db.session.add(internet)
        db.session.flush()
        db.session.add_all(
            Service(contact_id=contact_id, service_type_id=internet.id, tariff_name="Fast") for contact_id in ids[::3]
        )
        db.session.commit()
    return group_ids


def assert_sorted_in_blocks(rows: list[list[str]], column: int, descending: bool) -> None:
    """`rows` (exported) come in one block per value of `column`, the blocks in that value's order
    (contact before client; no value at one end), each block in name order."""
    blocks = [value for n, value in enumerate(row[column] for row in rows) if n == 0 or rows[n - 1][column] != value]
    assert len(blocks) == len(set(blocks))
    named = [value for value in blocks if value]
    expected = ["contact", "client"] if column == 10 else sorted(named)
    assert named == (expected[::-1] if descending else expected)
    assert "" not in blocks or blocks.index("") in (0, len(blocks) - 1)
    for value in blocks:
        names = [row[1] for row in rows if row[column] == value]
        assert names == sorted(names, reverse=descending)


@pytest.mark.parametrize("sort", [7, 8, 9, 10], ids=["group", "status", "invoice group", "contact or client"])
@pytest.mark.parametrize("desc", [None, 1], ids=["ascending", "descending"])
def test_code_list_and_client_sorts_page_through_the_exports_order(staff, coded_contacts, sort, desc):
    """These sorts read a page key by key (contact_list.keyed_page); the export is one SQL sort."""
    exported = export_csv(staff, sort=sort, desc=desc)[1:]
    assert len(exported) == 60
    assert_sorted_in_blocks(exported, sort, descending=bool(desc))
    assert names_on_pages(staff, 3, sort=sort, desc=desc, page_size=25) == [row[1] for row in exported]
    filtered = {"search": "contact 1", "flt1_group_equals": coded_contacts["Mid"]}
    assert (
        names_on_pages(staff, 1, sort=sort, desc=desc, page_size=25, **filtered)
        == [row[1] for row in export_csv(staff, sort=sort, desc=desc, **filtered)[1:]]
        != []
    )


def test_code_list_sort_follows_renames_and_new_contacts(app, staff, coded_contacts, make_contact):
    names_on_pages(staff, 1, sort=7, page_size=25)  # the keys and the counts per key are cached now
    with app.app_context():
        db.session.get(ClientGroup, coded_contacts["Zeta"]).name = "Aardvark"
        db.session.commit()
    make_contact(name="Contact 99", client_group_id=coded_contacts["Zeta"])
    exported = export_csv(staff, sort=7)[1:]
    assert names_on_pages(staff, 3, sort=7, page_size=25) == [row[1] for row in exported]
    assert next(row[7] for row in exported if row[7]) == "Aardvark"
    aardvark = [row[1] for row in exported if row[7] == "Aardvark"]
    assert len(aardvark) == 16 and aardvark[-1] == "Contact 99"


@pytest.fixture
def walks(monkeypatch):
    """With FEW_MATCHES lowered to 5, the search texts the list matched in Python (the walk along its order)."""
    matched = []

    def matching(search_text, words):
        matched.append(search_text)
        return matches_search(search_text, words)

    monkeypatch.setattr(list_query, "FEW_MATCHES", 5)
    monkeypatch.setattr(list_query, "matches_search", matching)
    return matched


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": 3, "desc": 1}, {"flt1_marked_equals": "0"}],
    ids=["by name", "by city descending", "filtered"],
)
def test_a_frequent_search_is_paged_along_the_list_order(staff, make_contact, walks, params):
    """Many matches (here past a lowered FEW_MATCHES): the page comes from the list's own order,
    matched in Python, and must be the page the database's search gives (the export)."""
    for n in range(60):
        make_contact(
            name=f"Contact {n * 37 % 60:02d}", city=("Praha", "Brno", "Praha-Západ")[n % 3], street=f"Street {n % 7}"
        )
    pages = names_on_pages(staff, 2, search="praha", page_size=25, **params)
    assert walks
    exported = [row[1] for row in export_csv(staff, search="praha", **params)[1:]]
    assert len(exported) == 40 and pages == exported[:50]


def test_a_frequent_search_clustered_in_the_order_falls_back_to_the_index(app, staff, make_contact, walks):
    """The matches all sit at the end of the name order, past where evenly spread matches would
    be: the walk is tried, gives up, and the search index answers with the whole page."""
    first = make_contact(name="Adam 000")
    with app.app_context():
        template = db.session.get(Contact, first)
        values = {
            column: getattr(template, column)
            for column in ("street", "postcode", "city", "payment_type_id", "invoice_group_id", "opening_balance")
        }
        db.session.add_all(Contact(name=f"Adam {n:03d}", client_number=5000 + n, **values) for n in range(1, 400))
        db.session.add_all(Contact(name=f"Zelený {n:02d}", client_number=6000 + n, **values) for n in range(60))
        db.session.commit()
    assert names_on_pages(staff, 1, search="zeleny", page_size=25) == [f"Zelený {n:02d}" for n in range(25)]
    assert walks


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": 2}, {"sort": 2, "desc": 1}, {"sort": 3, "desc": 1}],
    ids=["by name", "by company", "by company descending", "by city descending"],
)
def test_pages_past_the_middle_read_from_the_end_keep_the_lists_order(staff, make_contact, params):
    """A page nearer the end is read in the opposite order (list_query.page_ids): equal values
    and empty companies (NULL: last on PostgreSQL, first on SQLite) must keep their places."""
    for n in range(60):
        make_contact(
            name=f"Same name {n % 7}", company_name=None if n % 4 else f"Firm {n % 3}", city=("Praha", "Brno")[n % 2]
        )
    exported = [row[0] for row in export_csv(staff, **params)[1:]]  # client numbers: the names repeat
    pages = [listing(staff, page=page, page_size=25, **params) for page in range(3)]
    assert len(exported) == 60
    assert [
        number for html in pages for number in re.findall(r'<td class="col-client_number">(\d+)</td>', html)
    ] == exported


@pytest.mark.parametrize("language", ["cs", "en"])
def test_filter_links_are_the_same_in_both_languages(app, staff, make_contact, language):
    """A filtered list's sort (and page) links keep its filter in Czech too, and a link copied from
    a clerk in one language filters for a clerk in the other."""
    with app.app_context():
        vip = ClientGroup(name="VIP")
        db.session.add(vip)
        db.session.commit()
        vip_id = vip.id
    make_contact(name="VIP 1", client_group_id=vip_id)
    make_contact(name="VIP 2", client_group_id=vip_id)
    make_contact(name="Other")
    headers = {"Accept-Language": language}
    html = staff.get("/admin/contact/", query_string={"flt1_group_equals": vip_id}, headers=headers).get_data(
        as_text=True
    )
    assert names_in(html) == {"VIP 1", "VIP 2"}
    sort_links = [unescape(link) for link in re.findall(r'href="([^"]*[?&]sort=[^"]*)"', html)]
    assert sort_links and all(re.search(rf"flt\d_group_equals={vip_id}\b", link) for link in sort_links)
    assert names_in(staff.get(sort_links[0], headers=headers).get_data(as_text=True)) == {"VIP 1", "VIP 2"}
