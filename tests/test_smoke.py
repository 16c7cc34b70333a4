def test_admin_pages_open(admin, make_contact):
    make_contact()
    for url in [
        "/admin/",
        "/admin/contact/",
        "/admin/contact/new/",
        "/admin/contact/edit/?id=1",
        "/admin/contact/details/?id=1",
    ]:
        r = admin.get(url)
        assert r.status_code == 200, (url, r.status_code, r.get_data(as_text=True)[:2000])
