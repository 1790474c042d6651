"""The public pages in a real browser: what they say, keyboard use, and axe-core."""


def test_home_to_plan_to_outcome_to_indicator(browser_page):
    page = browser_page.page
    browser_page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Luton's plans and how they are going"
    browser_page.assert_accessible()

    page.get_by_role("link", name="Draft Corporate Plan 2008-14").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Draft Corporate Plan 2008-14"
    browser_page.assert_accessible()

    page.get_by_role("link", name="Putting Customers First").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Putting Customers First"
    browser_page.assert_accessible()

    page.get_by_role("link", name="N1 14 Avoidable Contact").click()
    assert "NI 14" in page.locator(".govuk-caption-l").inner_text()
    browser_page.assert_accessible()


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(browser_page):
    page = browser_page.page
    browser_page.goto("/partners/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    # GOV.UK Frontend's skip link moves focus to the main content.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main-content'")
