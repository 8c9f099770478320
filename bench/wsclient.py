"""A browser-less Streamlit session: the ``/_stcore/stream`` WebSocket with protobuf messages.

It speaks what the Streamlit frontend speaks: a ``rerun_script`` BackMsg carrying widget
states and the hashes of the large messages it already holds (the server then sends a short
reference instead of the message again), and it reads ForwardMsgs until ``script_finished``.
A widget inside a fragment (the map) reruns that fragment alone, as the browser does.
Only loopback addresses are accepted.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_MESSAGE = 64 * 2**20  # bytes; the map alone is ~0.5 MB
CACHE_AGE = 2  # script runs a cached message is kept unused (global.maxCachedMessageAge)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAP_COMPONENT = "streamlit_folium.st_folium"
# What streamlit-folium's frontend reports of the map besides its view (see dashboard/ui/
# map_view.py: the app asks for bounds, center, zoom and the last clicked object).
MAP_REPORT = {"last_object_clicked": None, "last_object_clicked_count": 0}


class RerunError(RuntimeError):
    """A rerun that did not finish successfully (or not in time)."""


@dataclass
class Rerun:
    """What one rerun cost: seconds until ``script_finished`` and bytes received, and the
    seconds until each metric (by label) first arrived."""

    seconds: float
    received: int
    messages: int
    status: str
    metrics: dict[str, float] = field(default_factory=dict)


@dataclass
class Page:
    """What the last run drew: widgets by id (kept from the run before for what a fragment
    run did not draw again), the fragment each widget belongs to, metric values by label,
    exceptions and error messages."""

    widgets: dict[str, Element] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)  # widget id -> fragment id
    metrics: dict[str, str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # st.error boxes


def date_micros(day: date) -> float:
    """A date as Streamlit's date slider carries it: microseconds since the epoch, UTC."""
    return (datetime(day.year, day.month, day.day, tzinfo=UTC) - EPOCH
            ).total_seconds() * 1e6


def _user_key(widget_id: str) -> str:
    # Keyed widgets' ids end in "-<key>" after "$$ID-<hash>"; others have no key.
    parts = widget_id.split("-", 2)
    return parts[2] if widget_id.startswith("$$ID-") and len(parts) == 3 else widget_id


class Session:
    """One Streamlit session over a WebSocket; use ``async with``."""

    def __init__(self, url: str, timeout: float = 60.0):
        parts = urlsplit(url)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"only loopback servers are driven, not {parts.hostname!r}")
        self.url = f"ws://{parts.netloc}/_stcore/stream"
        self.timeout = timeout
        self.page = Page()
        self.states: dict[str, WidgetState] = {}  # widget id -> the value we last sent
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> message, last run
        self._runs = 0
        self._ws: websockets.ClientConnection | None = None

    async def __aenter__(self) -> Session:
        self._ws = await websockets.connect(self.url, subprotocols=["streamlit"],
                                            max_size=MAX_MESSAGE, open_timeout=self.timeout,
                                            compression=None)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    def widget_id(self, key: str) -> str:
        """The id of the widget created with ``key`` in the last run."""
        for widget_id in self.page.widgets:
            if _user_key(widget_id) == key:
                return widget_id
        raise KeyError(f"no widget with key {key!r} in the last run")

    def set_widget(self, key: str, **value: object) -> None:
        """Give the widget ``key`` a value for the next rerun, e.g. ``string_value="x"``."""
        state = WidgetState(id=self.widget_id(key))
        for name, item in value.items():
            target = getattr(state, name)
            if hasattr(target, "data"):  # an array value
                target.data.extend(item)  # type: ignore[arg-type]
            else:
                setattr(state, name, item)
        self.states[state.id] = state

    def set_dates(self, first: date, last: date, key: str = "dates") -> None:
        """Move a date range slider."""
        self.set_widget(key, double_array_value=[date_micros(first), date_micros(last)])

    def component_id(self, name: str) -> str:
        """The id of the custom component ``name`` (e.g. ``MAP_COMPONENT``) in the last run."""
        for widget_id, element in self.page.widgets.items():
            if (element.WhichOneof("type") == "component_instance"
                    and element.component_instance.component_name == name):
                return widget_id
        raise KeyError(f"no component {name!r} in the last run")

    def pan(self, south: float, west: float, north: float, east: float,
            zoom: int) -> str:
        """Report the map moved to these bounds, as streamlit-folium's frontend reports it
        (Leaflet's ``getBounds()``, ``getCenter()`` and ``getZoom()``); the fragment to
        rerun (empty when the map is not in one)."""
        widget_id = self.component_id(MAP_COMPONENT)
        value = {"bounds": {"_southWest": {"lat": south, "lng": west},
                            "_northEast": {"lat": north, "lng": east}},
                 "center": {"lat": (south + north) / 2, "lng": (west + east) / 2},
                 "zoom": zoom, **MAP_REPORT}
        self.states[widget_id] = WidgetState(id=widget_id, json_value=json.dumps(value))
        return self.page.fragments.get(widget_id, "")

    async def rerun(self, fragment_id: str = "") -> Rerun:
        """Send a rerun (of one fragment, when given) with the current widget states; wait
        for ``script_finished``."""
        assert self._ws is not None, "use the session with 'async with'"
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = ""
        client.page_script_hash = ""
        client.fragment_id = fragment_id
        client.widget_states.widgets.extend(self.states.values())
        client.cached_message_hashes.extend(self._cache)
        kept = self.page if fragment_id else Page()
        self.page = Page(widgets=dict(kept.widgets), fragments=dict(kept.fragments))
        metrics: dict[str, float] = {}
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        received = count = 0
        deadline = start + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RerunError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self._ws.recv(decode=False), left)
            except TimeoutError:
                continue
            received += len(data)
            count += 1
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app asked for another run (st.rerun); keep waiting
                self._runs += 1
                self._expire()
                return Rerun(time.perf_counter() - start, received, count, status, metrics)
            label = self._receive(fwd)
            if label is not None:
                metrics.setdefault(label, time.perf_counter() - start)

    def _receive(self, fwd: ForwardMsg) -> str | None:
        """Note what one message draws; the label of a metric it draws, else None."""
        if fwd.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(fwd.ref_hash)
            if cached is None:
                self.page.exceptions.append(f"unknown ref_hash {fwd.ref_hash}")
                return None
            self._cache[fwd.ref_hash] = (cached[0], self._runs)
            fwd = cached[0]
        elif fwd.metadata.cacheable:
            self._cache[fwd.hash] = (fwd, self._runs)
        if fwd.WhichOneof("type") != "delta" or fwd.delta.WhichOneof("type") != "new_element":
            return None
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.page.exceptions.append(element.exception.message)
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            self.page.errors.append(element.alert.body)
        elif kind == "metric":
            self.page.metrics[element.metric.label] = element.metric.body
            return element.metric.label
        elif kind is not None:
            inner = getattr(element, kind)
            widget_id = getattr(inner, "id", "") if hasattr(inner, "DESCRIPTOR") and \
                "id" in inner.DESCRIPTOR.fields_by_name else ""
            if widget_id:
                self.page.widgets[widget_id] = element
                self.page.fragments[widget_id] = fwd.delta.fragment_id
        return None

    def _expire(self) -> None:
        """Forget cached messages unused for more than CACHE_AGE runs, as the browser does."""
        for key, (_, last) in list(self._cache.items()):
            if self._runs - last > CACHE_AGE:
                del self._cache[key]
