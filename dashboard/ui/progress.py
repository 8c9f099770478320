"""A progress bar while a large file loads for the first time; nothing once it is loaded."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import streamlit as st

T = TypeVar("T")
Progress = Callable[[float, str], None]
STEP = 0.01  # the bar moves by at least this much (or says something new) per message


def with_bar(load: Callable[[Progress], T], slot: Any) -> T:
    """``load(progress)``, with a bar in ``slot`` (an ``st.empty``) that shows its progress
    and is removed when it is done (or fails). A load that reports nothing shows nothing."""
    bar = None
    last = (-1.0, "")

    def progress(fraction: float, phrase: str) -> None:
        nonlocal bar, last
        fraction = min(max(fraction, 0.0), 1.0)
        if phrase == last[1] and fraction - last[0] < STEP:
            return
        last = (fraction, phrase)
        if bar is None:
            bar = slot.progress(fraction, text=phrase)
        else:
            bar.progress(fraction, text=phrase)

    try:
        return load(progress)
    finally:
        slot.empty()


@dataclass
class Once(Generic[T]):
    """What one load makes, shared by every session that asks for it (kept as a resource
    by :mod:`dashboard.ui.cache`): the first session loads it with a progress bar, the
    others wait for it. A load that fails leaves it empty, to be tried again."""

    value: T | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, load: Callable[[Progress], T], waiting: str) -> T:
        """The value, from ``load(progress)`` the first time; ``waiting`` is said while
        another session loads it."""
        slot = st.empty()  # one element whatever happens, so the page keeps its layout
        if self.value is not None:
            return self.value
        if not self.lock.acquire(blocking=False):
            with slot, st.spinner(waiting):
                self.lock.acquire()
        try:
            if self.value is None:
                self.value = with_bar(load, slot)
            return self.value
        finally:
            self.lock.release()
