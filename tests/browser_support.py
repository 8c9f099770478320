"""Helpers of the browser tests: a real Streamlit server, a network guard, polling, data.

Nothing here downloads a browser: the tests drive Debian's Chromium at ``/usr/bin/chromium``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
EVENTS_CSV = REPO_ROOT / "events.csv"
PLACES_GEOJSON = REPO_ROOT / "geodata" / "places.geojson"
SCREENSHOT = REPO_ROOT / "docs" / "screenshot.png"

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
    # With software compositing Chromium's default tile-memory budget is too small for this
    # page (the map's SVG borders): screenshots then show blank 256-px tiles in the sidebar
    # and the map. 256 MB is not always enough either; 1024 MB gives complete pictures.
    "--force-gpu-mem-available-mb=1024",
]
VIEWPORT = {"width": 1400, "height": 1000}

MAP_IFRAME = 'iframe[src*="streamlit_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

SERVER_START_TIMEOUT = 60.0
PAGE_TIMEOUT = 30.0
RERUN_TIMEOUT = 20.0


# --- polling --------------------------------------------------------------------------------

def wait_until(check: Callable[[], Any], timeout: float, what: str,
               interval: float = 0.1) -> Any:
    """Call ``check`` until it returns something truthy; fail after ``timeout`` seconds.

    The failure names ``what`` was awaited and the last value (or error) seen.
    """
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = check()
        except Exception as exc:  # a frame mid-navigation, a page mid-rerun
            last = f"{type(exc).__name__}: {exc}"
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; "
                                 f"last seen: {last!r}")
        time.sleep(interval)


# --- the server -----------------------------------------------------------------------------

@contextmanager
def environment(**values: str | None) -> Iterator[None]:
    """Environment variables set (or, with None, removed) for the block, then restored."""
    def put(settings: dict[str, str | None]) -> None:
        for name, value in settings.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    before = {name: os.environ.get(name) for name in values}
    try:
        put(values)
        yield
    finally:
        put(before)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run dashboard/app.py -- --events PATH`` on a free local port.

    Use as a context manager; output goes to temporary files (a pipe nobody reads could
    fill up and stall the server) and is quoted when the server does not come up.
    """

    def __init__(self, events: Path, timeout: float = SERVER_START_TIMEOUT,
                 base_path: str = ""):
        self.events = Path(events)
        self.timeout = timeout
        self.port = free_port()
        self.base_path = base_path.strip("/")  # Streamlit's server.baseUrlPath
        prefix = f"{self.base_path}/" if self.base_path else ""
        self.url = f"http://127.0.0.1:{self.port}/{prefix}"
        self.process: subprocess.Popen[bytes] | None = None
        # Open for the server's whole life; closed in stop().
        self._log = tempfile.TemporaryFile()  # noqa: SIM115

    def command(self) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
                "--server.port", str(self.port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--server.enableStaticServing", "true",
                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                "--server.baseUrlPath", self.base_path, "--", "--events", str(self.events)]

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"exited with code {self.process.returncode}")
        try:
            with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self) -> StreamlitServer:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("DASHBOARD_EVENTS", None)
        self.process = subprocess.Popen(self.command(), cwd=REPO_ROOT, env=env,
                                        stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if self._healthy():
                    return self
            except RuntimeError as exc:
                self._fail(f"the Streamlit server {exc} before answering /_stcore/health")
            if time.monotonic() > deadline:
                self._fail(f"the Streamlit server did not answer {self.url}_stcore/health "
                           f"with 200 within {self.timeout:.0f} s")
            time.sleep(0.2)

    def _fail(self, problem: str) -> NoReturn:
        self.stop(keep_log=True)
        output = self.output()
        self._log.close()
        raise RuntimeError(f"{problem}; its output:\n{output}")

    def stop(self, keep_log: bool = False) -> None:
        """Terminate the server, and kill it if it does not stop within 10 s."""
        stop_process(self.process)
        if not keep_log:
            self._log.close()

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- the network guard ----------------------------------------------------------------------

def is_local_url(url: str) -> bool:
    """Loopback http(s)/ws(s), or a URL that makes no network request at all."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about") or (parts.scheme == "file"
                                                      and not parts.hostname):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


class NetworkGuard:
    """Aborts every request of a page (and its iframes) to a non-local address.

    ``blocked`` lists what the route handler aborted, ``requests`` every request the page
    made (routing or not) and ``websockets`` the websockets it opened.
    """

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.websockets: list[str] = []

    def attach(self, page: Any) -> NetworkGuard:
        page.route("**/*", self._route)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("websocket", lambda ws: self.websockets.append(ws.url))
        return self

    def _route(self, route: Any) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def external(self) -> list[str]:
        """Every non-local URL the page asked for, aborted or not, without repeats."""
        seen = [*self.blocked, *self.requests, *self.websockets]
        return list(dict.fromkeys(u for u in seen if not is_local_url(u)))

    def assert_only_local(self) -> None:
        external = self.external()
        assert not external, (f"the page requested {len(external)} non-local URL(s) (the map "
                              f"must work offline): {external}")


# --- the page -------------------------------------------------------------------------------

def map_frame(page: Any) -> Any:
    """The Frame inside the main map's streamlit-folium iframe (fails when there is none).

    The main map is the first; the review section's placing map, when open, comes later.
    """
    handle = page.locator(MAP_IFRAME).first.element_handle(timeout=PAGE_TIMEOUT * 1000)
    frame = handle.content_frame()
    assert frame is not None, "the map iframe has no content frame"
    return frame


def event_ids(frame: Any) -> list[str] | None:
    """``dashboardEventIds()`` in the map iframe; None while the map script has not run."""
    return frame.evaluate("() => typeof window.dashboardEventIds === 'function' && window.map"
                          " ? window.dashboardEventIds() : null")


CSV_FORMAT = "Data (CSV for spreadsheets)"


def download_csv(page: Any) -> tuple[str, list[dict[str, str]]]:
    """The Snapshot panel's CSV export, downloaded as a user does: its file name and rows."""
    page.get_by_text("Snapshot: export what the map shows").click()
    panel = page.get_by_test_id("stExpander").filter(has_text="Snapshot: export")
    select = panel.get_by_test_id("stSelectbox").filter(has_text="Format")
    combo = select.get_by_role("combobox")

    def csv_chosen() -> bool:  # a click just as the panel opens, or redraws, can go unheard
        if combo.input_value() != CSV_FORMAT:
            if combo.get_attribute("aria-expanded") != "true":
                select.click()
            page.get_by_role("option", name=CSV_FORMAT).click(timeout=2_000)
        return combo.input_value() == CSV_FORMAT

    wait_until(csv_chosen, RERUN_TIMEOUT, "the CSV format to be chosen", interval=0.5)
    button = panel.get_by_role("button", name=re.compile(r"Download events_.*\.csv"))
    button.wait_for(timeout=RERUN_TIMEOUT * 1000)
    with page.expect_download(timeout=RERUN_TIMEOUT * 1000) as started:
        button.click()
    text = Path(started.value.path()).read_text(encoding="utf-8-sig")
    return started.value.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def stop_process(process: subprocess.Popen | None) -> None:
    """Terminate ``process`` (a server), and kill it if it does not stop within 10 s."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def metric_count(page: Any) -> int | None:
    """The number the "Events shown" metric shows, None while it is not on the page."""
    metric = page.get_by_test_id("stMetric").filter(has_text="Events shown")
    if metric.count() != 1:
        return None
    text = metric.get_by_test_id("stMetricValue").inner_text(timeout=2000)
    match = re.fullmatch(r"\s*([\d,]+)\s*", text)
    assert match, f"the 'Events shown' metric shows {text!r}, not a count"
    return int(match.group(1).replace(",", ""))


def settled_ids(page: Any, frame: Any, accept: Callable[[list[str]], bool], what: str,
                timeout: float = RERUN_TIMEOUT) -> list[str]:
    """The map's event ids once ``accept`` holds and the metric shows the same count.

    Two reads 0.3 s apart must agree, so a rerun half-way through is not taken.
    """
    def check() -> list[str] | None:
        ids = event_ids(frame)
        if ids is None or not accept(ids) or metric_count(page) != len(ids):
            return None
        time.sleep(0.3)
        again = event_ids(frame)
        return ids if again == ids and metric_count(page) == len(ids) else None

    def explain() -> str:
        try:
            return f"map ids {event_ids(frame)}, metric {metric_count(page)}"
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"

    try:
        return wait_until(check, timeout, what)
    except AssertionError as exc:
        raise AssertionError(f"{exc} ({explain()})") from None


def open_dashboard(page: Any, url: str) -> tuple[Any, list[str]]:
    """Load the page and wait for the map: its frame and the event ids it draws."""
    page.goto(url, timeout=PAGE_TIMEOUT * 1000)
    page.locator(MAP_IFRAME).wait_for(state="visible", timeout=PAGE_TIMEOUT * 1000)
    frame = map_frame(page)
    ids = settled_ids(page, frame, bool, "the map to draw events that match the metric",
                      timeout=PAGE_TIMEOUT)
    return frame, ids


def painted(target: Any) -> bool:
    """True once the page (or frame) has fonts loaded and has painted two frames since."""
    return target.evaluate("""() => document.fonts.ready.then(() => new Promise(resolve =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))))""")


def broken_image_handled(target: Any) -> bool:
    """Add an image that cannot decode and wait until its ``onerror`` has run.

    Error handlers of images already on the page were queued before this one's, so once it
    has run they would have run too: a condition to wait on instead of a fixed time.
    """
    return target.evaluate("""() => new Promise(resolve => {
        const probe = new Image();
        probe.onerror = () => resolve(true);
        probe.onload = () => resolve(false);
        probe.src = 'data:image/png;base64,AAAA';
    })""")


def map_idle(frame: Any) -> bool:
    """The Leaflet map exists and is neither zooming nor panning."""
    return frame.evaluate("() => !!window.map && window.map._loaded && !window.map._animatingZoom"
                          " && !(window.map._panAnim && window.map._panAnim._inProgress)")


def main_scroll(page: Any) -> float:
    """How far Streamlit's main area (the part holding the map) is scrolled."""
    return page.evaluate("() => (document.querySelector('[data-testid=stMain]') || {}).scrollTop"
                         " || 0")


def blank_tiles(page: Any, image_path: Path) -> list[tuple[int, int]]:
    """Points of the sidebar's empty left margin that a screenshot shows in another colour.

    Chromium leaves tiles it has not rasterised blank; the margin must show the sidebar's
    background everywhere.
    """
    from PIL import Image

    colour = page.evaluate("""() => getComputedStyle(
        document.querySelector('[data-testid=stSidebar]')).backgroundColor""")
    want = tuple(int(c) for c in re.findall(r"\d+", colour)[:3])
    with Image.open(image_path) as image:
        rgb = image.convert("RGB")
        points = [(10, y) for y in range(60, min(rgb.height, VIEWPORT["height"]) - 10, 40)]
        return [p for p in points
                if max(abs(a - b) for a, b in zip(rgb.getpixel(p), want, strict=True)) > 3]


def search_for(page: Any, frame: Any, query: str, count: int) -> list[str]:
    """Type ``query`` in the sidebar's Search box, press Enter, wait for ``count`` events."""
    box = page.get_by_role("textbox", name="Search", exact=True)
    box.fill(query)
    box.press("Enter")
    return settled_ids(page, frame, lambda ids: len(ids) == count,
                       f"the search {query!r} to leave {count} event(s) on the map")


# --- the data the page should show ----------------------------------------------------------

def read_events(path: Path = EVENTS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_events(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def places() -> dict[str, dict]:
    """The gazetteer's properties by place id, straight from ``places.geojson``."""
    data = json.loads(PLACES_GEOJSON.read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f["properties"] for f in data["features"]}


def place_names(place: dict) -> list[str]:
    return [place["name"], *place.get("alt_names", [])]


def rows_matching(rows: list[dict[str, str]], query: str) -> list[dict[str, str]]:
    """Rows whose text or any name of their places contains ``query`` (case-insensitive).

    Places count as the row's where they are its place, origin or destination, or where
    its title or description names them (any spelling, as whole words): a search for one
    spelling finds the others. What the Search box promises; computed here from the files,
    not with the app's code (and, by not preferring longer names, possibly a few more).
    """
    gazetteer = places()
    needle = query.casefold()
    found = []
    for row in rows:
        texts = [row[c] for c in ("title", "description", "actor1", "actor2", "claimed_by")]
        told = f"{row['title']} {row['description']}".casefold()
        for place in gazetteer.values():
            if any(re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", told)
                   for n in place_names(place)):
                texts += place_names(place)
        for column in ("place_id", "origin_place_id", "destination_place_id"):
            if row[column]:
                texts += place_names(gazetteer[row[column]])
        if any(needle in t.casefold() for t in texts):
            found.append(row)
    return found


def document_of(row: dict[str, str]) -> dict[str, str]:
    """The entry of ``sources/sources.json`` for the document an events row names."""
    listed = json.loads((REPO_ROOT / "sources" / "sources.json").read_text(encoding="utf-8"))
    [entry] = [s for s in listed["sources"] if f"sources/{s['file']}" in row["source"]]
    return entry


def squash(text: str) -> str:
    """Whitespace collapsed, for comparing rendered text with the file's."""
    return " ".join(text.split())
