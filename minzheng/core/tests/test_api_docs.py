"""The API documentation is served from the application's own static files
(no CDN), under the same content security policy, to signed-in staff only."""

import pytest


@pytest.mark.django_db
def test_api_docs_need_sign_in_and_load_nothing_from_elsewhere(client, users):
    response = client.get("/api/docs")
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(users["street"])
    response = client.get("/api/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_in_the_browser(live_server, users, browser_page):
    from minzheng.core.tests.web import browser_login

    failed: list[str] = []
    browser_page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    browser_login(browser_page, live_server.url, "street")
    browser_page.goto(f"{live_server.url}/api/docs")
    # the operations, loaded from the schema: building the whole schema (every app's endpoints) takes
    # seconds, longer on a loaded machine — a bound on the wait, not a timing check
    browser_page.wait_for_selector(".swagger-ui .opblock-tag", timeout=60_000)
    assert "人口库" in browser_page.inner_text(".swagger-ui")
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
