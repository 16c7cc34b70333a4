def test_admin_pages_open(client, login, make_contact):
    login("admin")
    make_contact()
    for url in ["/admin/", "/admin/contact/", "/admin/contact/new/", "/admin/contact/edit/?id=1",
                "/admin/contact/details/?id=1", "/admin/user/", "/admin/user/new/", "/admin/setting/",
                "/admin/socket/new/", "/admin/street/new/", "/admin/service/new/", "/admin/note/new/",
                "/admin/info_message/new/", "/admin/change_log/", "/admin/invoice_group/new/"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.get_data(as_text=True)[:2000])
