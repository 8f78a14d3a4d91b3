from tests.helpers.screenshots import shot


def test_home_page_in_vietnamese_then_english_on_a_phone(page, db):
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    page.goto("/")
    page.remove_listener("response", record)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Dịch vụ công của xã, ngay trên điện thoại"
    )
    # Light enough for weak 3G.
    assert sum(len(response.body()) for response in responses) < 30_000
    shot(page, "home")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Public services of the commune, from your phone"
    )


def test_healthz_in_the_browser(page, db):
    page.goto("/healthz")
    assert '"status": "ok"' in page.content()
