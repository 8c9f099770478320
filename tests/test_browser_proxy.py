"""The deployment's reverse proxy, run for real: the committed ``deploy/nginx.conf`` in a real
nginx in front of two dashboard servers on one database. Through it the page opens (its
WebSocket upgraded), shows a ``db load`` after a reload, downloads and uploads (sticky: on
the server holding the session), and takes a report as large as the page accepts."""

from __future__ import annotations

import base64
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.extract import MAX_DOCUMENT_BYTES
from tests.browser_support import (
    EVENTS_CSV,
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    StreamlitServer,
    download_csv,
    environment,
    map_frame,
    metric_count,
    open_dashboard,
    settled_ids,
    wait_until,
)
from tests.conftest import _skip_unless_required, row, serve, write_csv
from tests.db_support import TEMPLATE, PostgresServer
from tests.proxy_support import NGINX_CONF, NginxProxy, proxied_config
from tests.proxy_support import missing as nginx_missing

REPORT = "On 19 September 2023 shelling in Stepanakert killed 27 people, officials said."


@dataclass
class Site:
    """Two dashboard servers on one database, behind the proxy."""

    servers: tuple[StreamlitServer, StreamlitServer]
    proxy: NginxProxy
    database_url: str


@pytest.fixture(scope="module")
def site(postgres: PostgresServer) -> Iterator[Site]:
    reason = nginx_missing()
    if reason:
        _skip_unless_required(reason, "proxy", "REQUIRE_PROXY_TESTS")
    name = "events_proxy"
    postgres.create_database(name, TEMPLATE)
    # The servers read the database, and take reports with a login that may write it.
    names = ("DASHBOARD_DATABASE_URL", "DASHBOARD_REVIEW_DATABASE_URL")
    url = postgres.url(name)
    try:
        with environment(**dict.fromkeys(names, url)):
            assert main(["db", "load", str(EVENTS_CSV)]) == 0
            with serve(EVENTS_CSV) as one, serve(EVENTS_CSV) as two:
                proxy = NginxProxy([f"127.0.0.1:{one.port}", f"127.0.0.1:{two.port}"])
                try:
                    proxy.start()
                except RuntimeError as exc:
                    pytest.fail(str(exc), pytrace=False)
                try:
                    yield Site((one, two), proxy, url)
                finally:
                    proxy.stop()
    finally:
        postgres.drop_database(name)


def _entries(proxy: NginxProxy, pattern: str, least: int = 1) -> list[str]:
    """The access log's lines matching ``pattern``, once there are ``least`` of them."""
    def found() -> list[str]:
        lines = [line for line in proxy.log() if re.search(pattern, line)]
        return lines if len(lines) >= least else []

    try:
        return wait_until(found, RERUN_TIMEOUT, f"{least} line(s) matching {pattern!r}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; nginx's access log: {proxy.log()}") from None


@pytest.mark.browser
def test_the_site_works_through_the_proxy(site, page, guard, tmp_path: Path):
    proxy = site.proxy
    _, before = open_dashboard(page, proxy.url)  # nothing shows without the WebSocket
    count = metric_count(page)
    assert count == len(before) and count

    new = write_csv(tmp_path / "new.csv", [
        row(event_id="proxy-new-1", title="Loaded while the site was up"),
        row(event_id="proxy-new-2", date_start="2023-09-20")])
    assert main(["db", "load", str(new)]) == 0
    time.sleep(1.1)  # each server reads the data version at most once a second
    page.reload()
    ids = settled_ids(page, map_frame(page), lambda found: "proxy-new-1" in found,
                      "the newly loaded events on the map", timeout=RERUN_TIMEOUT * 2)
    assert "proxy-new-2" in ids and metric_count(page) == count + 2

    _, rows = download_csv(page)
    assert sorted(r["event_id"] for r in rows) == sorted(ids)

    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    page.get_by_text("Add a report: review its events onto the map").click()
    section = page.get_by_test_id("stExpander").filter(has_text="Add a report")
    section.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(report))
    section.locator(".report-text").wait_for(timeout=PAGE_TIMEOUT * 1000)
    assert "Stepanakert" in section.locator(".report-text").inner_text()
    guard.assert_only_local()
    page.context.close()  # nginx logs a WebSocket when it closes

    # The page's WebSocket, upgraded (101), before and after the reload.
    streams = _entries(proxy, r'"GET /_stcore/stream HTTP/1\.1" 101 ', least=2)
    downloads = _entries(proxy, r'"GET /media/[^ ]+\.csv HTTP/1\.1" 200 ')
    uploads = _entries(proxy, r'"PUT /_stcore/upload_file/[^ ]+ HTTP/1\.1" 20\d ')
    # One client, one server: the download and the upload reached the server whose
    # WebSocket holds the session (the other one would not know it).
    served_by = {line.rsplit(" ", 1)[1] for line in [*streams, *downloads, *uploads]}
    assert len(served_by) == 1, [*streams, *downloads, *uploads]
    assert served_by <= {f"127.0.0.1:{s.port}" for s in site.servers}


def _handshake(port: int, host: str) -> str:
    """The status line the proxy answers a WebSocket handshake for ``/_stcore/stream`` with,
    sent as a browser at ``http://host`` sends it (same Host and Origin)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=PAGE_TIMEOUT) as sock:
        sock.sendall(request.encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


@pytest.mark.browser
def test_a_site_named_on_its_own_port_gets_its_websocket(site):
    # A site reached by a name and a port of its own (http://maps.example:8080, as the
    # compose file publishes it): Streamlit takes the WebSocket as same-origin only when the
    # proxy passes the Host the browser sent, port included. Otherwise it falls back to
    # guessing the machine's addresses, and the page stays empty.
    status = _handshake(site.proxy.port, f"maps.example:{site.proxy.port}")
    assert status.startswith("HTTP/1.1 101 "), status


def _upload_status(port: int, length: int, body: bool) -> int:
    """The status of a PUT of ``length`` bytes to Streamlit's upload endpoint (with no
    session or token, so a dashboard server refuses it: only nginx's 413 matters)."""
    with socket.create_connection(("127.0.0.1", port), timeout=PAGE_TIMEOUT * 2) as sock:
        sock.sendall((f"PUT /_stcore/upload_file/none/none HTTP/1.1\r\nHost: 127.0.0.1:{port}"
                      f"\r\nContent-Length: {length}\r\nContent-Type: multipart/form-data; "
                      "boundary=x\r\nConnection: close\r\n\r\n").encode())
        if body:
            block = b"x" * 2**20
            for start in range(0, length, len(block)):
                sock.sendall(block[:length - start])
        answer = sock.recv(4096)
    return int(answer.split(b" ", 2)[1])


@pytest.mark.browser
def test_the_proxy_takes_the_largest_report_the_page_reads(site):
    envelope = 2048  # the multipart form around the file: boundaries, name, type
    assert _upload_status(site.proxy.port, MAX_DOCUMENT_BYTES + envelope, body=True) != 413
    assert _upload_status(site.proxy.port, 4 * MAX_DOCUMENT_BYTES, body=False) == 413


def test_the_test_changes_only_upstreams_and_port():
    committed = NGINX_CONF.read_text(encoding="utf-8")
    changed = proxied_config(committed, ["127.0.0.1:1", "127.0.0.1:2"], 9)
    assert "server 127.0.0.1:1;" in changed and "server 127.0.0.1:2;" in changed
    assert "listen 127.0.0.1:9;" in changed
    left = [a for a, b in zip(committed.splitlines(), changed.splitlines(), strict=True)
            if a != b]
    assert len(left) == 3, left
    with pytest.raises(AssertionError, match="upstream servers"):
        proxied_config(committed.replace("dashboard-2:8501", "other:8501"), ["a", "b"], 9)
    with pytest.raises(AssertionError, match="listen 80"):
        proxied_config(committed.replace("listen 80;", "listen 8080;"), ["a", "b"], 9)
