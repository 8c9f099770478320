"""How far an import got, told to a callback a few dozen times at most."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[float, str], None]  # (share done, 0 to 1; what is being done)
STEP = 0.02  # the least progress worth telling within one phrase


class Steps:
    """A callback told the share done of a part ``start``..``end`` of the whole work.

    Called with the share of its own part; tells the callback only when the phrase changes
    or the whole work moved on by :data:`STEP`, and never goes back.
    """

    def __init__(self, callback: Progress | None = None, start: float = 0.0,
                 end: float = 1.0, last: _Told | None = None):
        self.callback, self.start, self.end = callback, start, end
        self.last = last if last is not None else _Told()  # shared by the parts

    def __call__(self, share: float, phrase: str) -> None:
        if self.callback is None:
            return
        done = self.start + (self.end - self.start) * min(max(share, 0.0), 1.0)
        last = self.last
        if phrase != last.phrase or done >= last.done + STEP or (done >= 1.0 > last.done):
            last.done, last.phrase = max(done, last.done), phrase
            self.callback(last.done, phrase)

    def part(self, start: float, end: float) -> Steps:
        """The part ``start``..``end`` (shares of this one) as steps of its own."""
        span = self.end - self.start
        return Steps(self.callback, self.start + span * start, self.start + span * end,
                     self.last)


@dataclass
class _Told:
    """What the callback was last told."""

    done: float = -1.0
    phrase: str = ""
