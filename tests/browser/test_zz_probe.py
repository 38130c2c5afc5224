import pytest
from tests.browser.test_pages import log_in
from tests.browser.test_backoffice_stock import lyon_shelves  # noqa: F401
pytestmark = pytest.mark.browser

def test_probe(browser, live_server, lyon_owner, lyon_store, lyon_shelves):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/stock/")
    print(page.evaluate("""() => { const w = document.querySelector('.table-wrap'); const t = document.querySelector('.table--stock'); return [w.clientWidth, t.scrollWidth, [...t.querySelectorAll('thead th')].map(th => Math.round(th.getBoundingClientRect().width))]; }"""))
    page.screenshot(path="/tmp/desk.png", full_page=True)
    context.close()
