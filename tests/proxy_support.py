"""The committed reverse proxy (``deploy/nginx.conf``) run for real: Debian's nginx as an
unprivileged process in a temporary folder, in front of local dashboard servers.

The committed file is what runs: it is set inside an ``http`` block (as the nginx image's
``conf.d/`` is), and only its upstream servers and its ``listen`` port are replaced, by
code, so that a change to the file is what the tests exercise. Lines that are not there as
expected fail the test instead of being silently skipped.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.browser_support import REPO_ROOT, free_port, stop_process

NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"
UPSTREAM = re.compile(r"^(\s*server\s+)dashboard-\d+:8501(\s*;)", re.MULTILINE)
LISTEN = re.compile(r"^(\s*listen\s+)80(\s*;)", re.MULTILINE)
UNPRIVILEGED = "nobody"  # who runs nginx when the tests run as root
START_TIMEOUT = 20.0

# Each entry: the client, the request line, the status and the dashboard server that answered.
LOG_FORMAT = "'$remote_addr \"$request\" $status $upstream_addr'"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_binary() -> Path | None:
    """Debian's ``/usr/sbin/nginx``, or the ``PATH``'s (``/usr/sbin`` is not on every one)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    return Path(found) if found else None


def missing() -> str | None:
    """Why nginx cannot be run here, or None when it can."""
    if nginx_binary() is None:
        return "nginx is not installed (apt-get install nginx)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(UNPRIVILEGED)
        except KeyError:
            return f"running as root and there is no {UNPRIVILEGED!r} user to run nginx as"
    return None


def proxied_config(committed: str, upstreams: list[str], port: int) -> str:
    """The committed server configuration with its ``server dashboard-N:8501;`` lines set to
    ``upstreams`` (one each, in order) and ``listen 80;`` to ``127.0.0.1:port``.

    Raises
    ------
    AssertionError
        When the file has not exactly one such line per upstream, or not one ``listen 80;``.
    """
    found = UPSTREAM.findall(committed)
    assert len(found) == len(upstreams), (
        f"deploy/nginx.conf should name {len(upstreams)} upstream servers as "
        f"'server dashboard-N:8501;', found {len(found)}: the test cannot point it at the "
        "local servers")
    assert len(LISTEN.findall(committed)) == 1, (
        "deploy/nginx.conf should have one 'listen 80;' line: the test cannot give it a port")
    addresses = iter(upstreams)
    config = UPSTREAM.sub(lambda m: f"{m.group(1)}{next(addresses)}{m.group(2)}", committed)
    return LISTEN.sub(lambda m: f"{m.group(1)}127.0.0.1:{port}{m.group(2)}", config)


def wrapped(server_config: str, root: Path) -> str:
    """A whole nginx configuration: ``server_config`` in an ``http`` block whose logs and
    temporary files are in ``root``."""
    temp = "\n".join(f"    {name}_temp_path {root / name};" for name in TEMP_PATHS)
    return (f"worker_processes 1;\nevents {{ worker_connections 256; }}\nhttp {{\n{temp}\n"
            f"    log_format upstream {LOG_FORMAT};\n"
            f"    access_log {root / 'access.log'} upstream;\n"
            f"{server_config}\n}}\n")


class NginxProxy:
    """nginx with the committed configuration in front of ``upstreams`` (``host:port``), on a
    free port of 127.0.0.1. Use as a context manager; removed with its folder at the end."""

    def __init__(self, upstreams: list[str], timeout: float = START_TIMEOUT):
        binary = nginx_binary()
        assert binary is not None
        self.binary = binary
        self.timeout = timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.root = Path(tempfile.mkdtemp(prefix="dashproxy-"))
        self.config = self.root / "nginx.conf"
        self.access_log = self.root / "access.log"
        server_config = proxied_config(NGINX_CONF.read_text(encoding="utf-8"), upstreams,
                                       self.port)
        self.config.write_text(wrapped(server_config, self.root), encoding="utf-8")
        self.as_user: str | None = UNPRIVILEGED if os.geteuid() == 0 else None
        if self.as_user:  # nginx, not root, writes its logs and temporary files here
            entry = pwd.getpwnam(self.as_user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())

    def command(self, *extra: str) -> list[str]:
        return [str(self.binary), "-p", str(self.root), "-c", str(self.config), "-e", "stderr",
                "-g", f"daemon off; pid {self.root / 'nginx.pid'}; error_log stderr notice;",
                *extra]

    def check(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on the configuration: whether nginx accepts it."""
        return subprocess.run(self.command("-t"), user=self.as_user, capture_output=True,
                              text=True, timeout=30, check=False)

    def output(self) -> str:
        """What nginx printed so far (its error log)."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def log(self) -> list[str]:
        """The access log's lines (each written when its request ends: a WebSocket's when
        it closes)."""
        if not self.access_log.exists():
            return []
        return self.access_log.read_text(encoding="utf-8", errors="replace").splitlines()

    def start(self) -> NginxProxy:
        self.process = subprocess.Popen(self.command(), user=self.as_user,
                                        stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while True:
            if self.process.poll() is not None:
                self._fail(f"nginx exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self._fail(f"nginx did not pass {self.url}_stcore/health on within "
                           f"{self.timeout:.0f} s")
            time.sleep(0.2)

    def _fail(self, problem: str) -> None:
        output = self.output()
        self.stop()
        raise RuntimeError(f"{problem}; its output:\n{output}")

    def stop(self) -> None:
        """Stop nginx (kill it after 10 s) and remove its folder."""
        stop_process(self.process)
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> NginxProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
