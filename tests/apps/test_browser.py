"""The dashboard in a real browser: served by `streamlit run` on 127.0.0.1, driven in headless
Chromium (Debian's package, through Playwright's `executable_path`; `make test` installs it).

AppTest runs the scripts but not the frontend: this test is what proves the pages render in a
browser, that a sidebar filter reaches a chart through a rerun, and it leaves a screenshot of
every page in the test's output folder for a human to look at.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.apps.dash import HOME_PY, PAGES, mart

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# the URL path st.navigation gives views/<name>.py; Overview is the default page at "/"
SLUG = {name: "" if name == "overview" else name for name in PAGES}
# each page's title in the sidebar and in its own h1 (Home.py's st.Page titles)
TITLES = {
    "overview": "Overview",
    "engagement": "Engagement",
    "retention": "Retention",
    "responsiveness": "Responsiveness",
    "maintainers": "Maintainers",
    "sentiment": "Sentiment",
    "contributors": "Contributors",
    "knowledge": "Knowledge & content",
    "sql_explorer": "SQL explorer",
}
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ACTIVITY_CHART = "Activities by platform"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: `make test` installs Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def served(built_home: Path, tmp_path_factory) -> str:
    """`streamlit run Home.py` on a free 127.0.0.1 port over the session's built warehouse."""
    port = _free_port()
    cwd = tmp_path_factory.mktemp("serve_cwd")  # no .env or codeconvene.yaml from the repo
    env = {**os.environ, "CODECONVENE_HOME": str(built_home)}
    log = (cwd / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(HOME_PY),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def output_dir(tmp_path_factory) -> Path:
    """Screenshots land in the test's tmp folder; KEEP_SCREENSHOTS=dir copies them out too."""
    return tmp_path_factory.mktemp("browser_screenshots")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)
    page.wait_for_selector("h1", timeout=10_000)


def _switch(page, title: str) -> None:
    """Go to a page through the sidebar's navigation, as a reader does (one session)."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
    page.wait_for_function(
        "(title) => [...document.querySelectorAll('h1')].some(h => h.textContent.trim() === title)",
        arg=title,
        timeout=30_000,
    )
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)


def test_every_page_loads_in_chromium_without_an_exception(browser, served, output_dir):
    # GIVEN the served dashboard over a built warehouse, opened on its default page
    assert tuple(TITLES) == PAGES
    # tall: Streamlit scrolls its main block itself, so a screenshot shows the viewport only
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    _open(page, served)
    shots = []
    for name, title in TITLES.items():
        # WHEN each page is chosen in the sidebar
        if name != "overview":
            _switch(page, title)
        # THEN it ran to the end, shows its own title and no exception box
        assert page.locator("h1").first.text_content().strip() == title
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.url.rstrip("/").endswith(SLUG[name]) or name == "overview"
        shot = output_dir / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(shot)
    assert all(s.stat().st_size > 10_000 for s in shots)
    keep = os.environ.get("KEEP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copy(shot, keep)
    page.close()


def _traces(page, title: str) -> dict[str, list]:
    """The drawn chart's own data: trace name -> y values, read from Plotly's graph div.

    Streamlit's theme wraps titles in <b>, so the title is matched as a substring."""
    return page.evaluate(
        """(title) => {
            const plots = [...document.querySelectorAll('.js-plotly-plot')]
                .filter(gd => gd.layout && gd.layout.title && gd.layout.title.text.includes(title));
            if (plots.length !== 1) return null;
            return Object.fromEntries(plots[0].data.map(t => [t.name, Array.from(t.y)]));
        }""",
        title,
    )


def test_a_platform_filter_changes_the_activity_chart(browser, served, built_home, output_dir):
    # GIVEN the overview, whose activity chart has one trace per platform in the warehouse
    platforms = [
        p
        for (p,) in mart(
            built_home / "warehouse.duckdb",
            "select distinct platform from marts.fct_activities order by platform",
        )
    ]
    assert len(platforms) >= 2
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _open(page, served)
    page.wait_for_function(
        """(title) => [...document.querySelectorAll('.js-plotly-plot')].some(gd =>
            gd.layout && gd.layout.title && gd.layout.title.text.includes(title))""",
        arg=ACTIVITY_CHART,
        timeout=30_000,
    )
    before = _traces(page, ACTIVITY_CHART)
    assert sorted(before) == platforms
    # WHEN one platform is picked in the sidebar's Platform filter
    chosen, others = platforms[0], platforms[1:]
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    box.click()
    page.get_by_role("option", name=chosen, exact=True).click()
    page.keyboard.press("Escape")
    # THEN after the rerun the chart holds that platform's trace only, with the same points
    page.wait_for_function(
        """(title) => [...document.querySelectorAll('.js-plotly-plot')].some(gd =>
            gd.layout && gd.layout.title && gd.layout.title.text.includes(title)
            && gd.data.length === 1)""",
        arg=ACTIVITY_CHART,
        timeout=30_000,
    )
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)
    after = _traces(page, ACTIVITY_CHART)
    assert list(after) == [chosen]
    assert after[chosen] == before[chosen]
    assert others and not set(after) & set(others)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(output_dir / "overview_filtered.png"), full_page=True)
    page.close()
