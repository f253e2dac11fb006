"""The chat log: a window of message cards over the whole session.

Only up to ``max_cards`` cards are mounted at any time, so mounting, layout,
scrolling and key presses cost the same after 20 messages or 50,000. The
window follows the newest message while the reader is at the bottom (cards
that scroll off the top are unmounted); scrolling to the top of the window
mounts the previous page above it (keeping what the reader sees in place), and
scrolling to its bottom mounts the next page back. ``j``/``k``, search, Home
(the first message of the session), End and the "new messages" jump move the
window to wherever the target message is.

Textual's ``anchor()`` keeps the log pinned to the bottom while following
(the chat-room pattern of Textual's ``examples/mother.py``); the window logic
decides when following starts and stops, because the bottom of the *window* is
not always the newest message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget

from rednote_sim.tui.actions import ROOM_ACTIONS
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.render import CardRenderer
from rednote_sim.tui.widgets.card import MessageCard

MAX_CARDS = 120
"""Cards mounted at most."""

PAGE = 40
"""Cards mounted (and unmounted at the other end) when the reader pages."""


class ChatLog(VerticalScroll):
    """Message cards for a window of :class:`LogModel` positions ``[lo, hi)``.

    Args:
        model: Every message of the session.
        renderer: Draws the cards.
        intro: A widget shown above the first message (hidden once it is paged out).
        max_cards: Most cards mounted at once.
        page: Cards mounted per page when scrolling back or forth.
    """

    can_focus = True

    BINDINGS: ClassVar[list[BindingType]] = [
        # j, k, Home, n and End: over the whole session, not the mounted window.
        Binding(action.keys, action.name, action.title, show=False)
        for action in ROOM_ACTIONS
        if action.on_log
    ]

    following: reactive[bool] = reactive(True)
    """True while the newest message is in view and new ones scroll into view."""

    unseen: reactive[int] = reactive(0)
    """Messages posted since the reader stopped following."""

    selected: reactive[int | None] = reactive(None)
    """The seq of the card that ``j``/``k`` moved to."""

    def __init__(
        self,
        model: LogModel,
        renderer: CardRenderer,
        *,
        intro: Widget | None = None,
        max_cards: int = MAX_CARDS,
        page: int = PAGE,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.model = model
        self.renderer = renderer
        self.max_cards = max(3, max_cards)
        self.page = max(1, min(page, self.max_cards // 3))  # a page never empties the window
        self.intro = intro
        self.lo = 0
        self.hi = 0
        self.cards: dict[int, MessageCard] = {}
        self._lock = asyncio.Lock()
        self._paging = False
        # Counts jumps (Home, End, show): a deferred jump that a later one
        # overtook before the refresh must not undo it.
        self._jumps = 0

    def on_mount(self) -> None:
        """Start at the bottom, pinned there."""
        if self.intro is not None:
            self.mount(self.intro)
        self.anchor()

    # --- window bookkeeping ---------------------------------------------------------------

    @property
    def at_tail(self) -> bool:
        """True when the newest message is inside the window."""
        return self.hi >= len(self.model)

    @property
    def mounted_seqs(self) -> list[int]:
        """Seqs of the mounted cards, oldest first."""
        return self.model.order[self.lo : self.hi]

    def _make_cards(self, seqs: Iterable[int]) -> list[MessageCard]:
        cards = []
        for seq in seqs:
            message = self.model.messages[seq]
            card = MessageCard(seq, self.renderer)
            card.add_class(f"-{message.lang}")
            if message.persona == "you":
                card.add_class("-mine")
            if seq == self.selected:
                card.add_class("-selected")
            self.cards[seq] = card
            cards.append(card)
        return cards

    async def _unmount(self, seqs: Iterable[int]) -> None:
        cards = [self.cards.pop(seq) for seq in seqs if seq in self.cards]
        if cards:
            await self.remove_children(cards)

    def _show_intro(self) -> None:
        if self.intro is not None:
            self.intro.display = self.lo == 0

    async def _set_window(self, lo: int, hi: int) -> None:
        """Mount exactly ``[lo, hi)``, reusing the cards already mounted there."""
        order = self.model.order
        keep = set(order[max(lo, self.lo) : min(hi, self.hi)])
        await self._unmount(s for s in order[self.lo : self.hi] if s not in keep)
        if not keep:
            self.lo = self.hi = lo
        before = order[lo : self.lo] if keep else []
        after = order[max(self.hi, lo) : hi] if keep else order[lo:hi]
        with self.app.batch_update():
            if before:
                await self.mount_all(self._make_cards(before), before=self.cards[order[self.lo]])
            if after:
                await self.mount_all(self._make_cards(after))
        self.lo, self.hi = lo, hi
        self._show_intro()

    def _top_visible(self) -> tuple[MessageCard, float] | None:
        """The first card in view and its offset from the top of the view."""
        top = self.scroll_y
        for seq in self.mounted_seqs:
            card = self.cards.get(seq)
            if card is not None and card.virtual_region.bottom > top:
                return card, card.virtual_region.y - top
        return None

    def _bottom_visible(self) -> MessageCard | None:
        """The last card in view."""
        bottom = self.scroll_y + self.scrollable_content_region.height
        for seq in reversed(self.mounted_seqs):
            card = self.cards.get(seq)
            if card is not None and card.virtual_region.y < bottom:
                return card
        return None

    def _restore(self, anchor: tuple[MessageCard, float] | None) -> None:
        """After a re-layout, put the anchor card back where the reader saw it."""
        if anchor is None:
            return
        card, offset = anchor

        def put_back() -> None:
            if card.is_attached:
                self.scroll_to(y=card.virtual_region.y - offset, animate=False, immediate=True)

        self.call_after_refresh(put_back)

    # --- what the app calls ---------------------------------------------------------------

    async def append(self, count: int) -> None:
        """``count`` messages were added at the end of the model."""
        async with self._lock:
            total = len(self.model)
            was_tail = self.hi >= total - count
            if not was_tail:
                self.unseen += count  # the window is back in history; they wait below it
                return
            if self.following:
                await self._set_window(max(self.lo, total - self.max_cards), total)
                self.scroll_end(animate=False, immediate=False)
                return
            self.unseen += count
            if total - self.lo <= self.max_cards:
                await self._set_window(self.lo, total)  # below the view: nothing moves

    def refresh_cards(self, seqs: Iterable[int] | None = None) -> None:
        """Redraw some cards (a translation or reaction arrived), or all mounted ones."""
        targets = self.cards.values() if seqs is None else (self.cards.get(s) for s in seqs)
        for card in targets:
            if card is not None:
                card.refresh(layout=True)

    async def reset(self) -> None:
        """The model was replaced (a replay seeked): show its tail, following."""
        async with self._lock:
            await self._unmount(list(self.cards))
            self.lo = self.hi = 0
            self.selected = None
            total = len(self.model)
            await self._set_window(max(0, total - self.max_cards), total)
            self.unseen = 0
            self.following = True
            self.anchor()

    async def show(self, seq: int) -> None:
        """Bring message ``seq`` into view (mounting its part of the log if needed)."""
        if seq not in self.model:
            return
        self._jumps += 1
        async with self._lock:
            index = self.model.position(seq)
            if not self.lo <= index < self.hi:
                lo = max(0, min(index - self.max_cards // 2, len(self.model) - self.max_cards))
                await self._set_window(lo, min(len(self.model), lo + self.max_cards))
            card = self.cards[seq]
        self.following = False
        self.call_after_refresh(self.scroll_to_widget, card, animate=False)

    async def newest(self) -> None:
        """Jump to the newest message and follow again (End, ``n``)."""
        self._jumps += 1
        async with self._lock:
            total = len(self.model)
            if not self.at_tail:
                await self._set_window(max(0, total - self.max_cards), total)
        self.selected = None
        self.unseen = 0
        if self.following:
            self.call_after_refresh(self._pin_to_bottom)  # already following: back down
        self.following = True

    async def first(self) -> None:
        """Show the first message of the session, at the top (Home)."""
        self._jumps += 1
        jump = self._jumps
        async with self._lock:
            if self.lo != 0:
                await self._set_window(0, min(len(self.model), self.max_cards))
        self.selected = None
        self.following = False  # no anchor pulling the view back down meanwhile
        self.call_after_refresh(self._to_top, jump)

    def _to_top(self, jump: int) -> None:
        if jump != self._jumps:
            return  # End (or a search hit) came after Home, before this refresh: it wins
        self.scroll_home(animate=False, immediate=True)
        # A session that fits on the screen is still being followed.
        self.following = self.at_tail and self.max_scroll_y <= 1

    def _start(self, delta: int) -> int:
        """Where ``j``/``k`` start with nothing selected.

        The newest message when following, else the card at the bottom (``k``)
        or the top (``j``) of the view.
        """
        if self.following:
            return len(self.model) - 1
        if delta < 0:
            card = self._bottom_visible()
        else:
            top = self._top_visible()
            card = top[0] if top else None
        return self.model.position(card.seq) if card is not None else max(0, self.hi - 1)

    async def move(self, delta: int) -> int | None:
        """Select the message ``delta`` places away (``-1`` older, ``+1`` newer)."""
        if not self.model.order:
            return None
        if self.selected is None or self.selected not in self.model:
            index = self._start(delta)
        else:
            index = self.model.position(self.selected) + delta
        index = max(0, min(index, len(self.model) - 1))
        seq = self.model.seq_at(index)
        self.selected = seq
        await self.show(seq)
        return seq

    async def action_previous_message(self) -> None:
        """k: select the previous (older) message."""
        await self.move(-1)

    async def action_next_message(self) -> None:
        """j: select the next (newer) message."""
        await self.move(1)

    async def action_first_message(self) -> None:
        """Home: the first message of the session."""
        await self.first()

    async def action_newest(self) -> None:
        """n, End: the newest message, following again."""
        await self.newest()

    # --- paging ---------------------------------------------------------------------------

    async def page_older(self) -> None:
        """Mount the page above the window (the reader reached its top)."""
        async with self._lock:
            if self.lo == 0:
                return
            anchor = self._top_visible()
            lo = max(0, self.lo - self.page)
            await self._set_window(lo, min(self.hi, lo + self.max_cards))
            self._restore(anchor)

    async def page_newer(self) -> None:
        """Mount the page below the window (the reader reached its bottom)."""
        async with self._lock:
            total = len(self.model)
            if self.hi >= total:
                return
            anchor = self._top_visible()
            hi = min(total, self.hi + self.page)
            await self._set_window(max(self.lo, hi - self.max_cards), hi)
            self._restore(anchor)

    async def _page(self, older: bool) -> None:
        try:
            await (self.page_older() if older else self.page_newer())
        finally:
            self._paging = False

    # --- watching the reader --------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Follow at the bottom; page in history at either end of the window."""
        super().watch_scroll_y(old_value, new_value)
        if self._lock.locked():
            return  # our own window change; the reader did not move
        at_bottom = new_value >= self.max_scroll_y - 1
        self.following = at_bottom and self.at_tail
        if self.following:
            self.unseen = 0
        if self._paging:
            return
        if new_value <= 0 and self.lo > 0 and new_value < old_value:
            self._paging = True
            self.run_worker(self._page(older=True), group="page")
        elif at_bottom and not self.at_tail:
            self._paging = True
            self.run_worker(self._page(older=False), group="page")

    def watch_following(self, following: bool) -> None:
        """Pin to the bottom while following (Textual's anchor), after the next refresh.

        ``following`` is often switched on from :meth:`watch_scroll_y`, which runs
        inside Textual's animator tick when a scroll animation reaches the bottom.
        ``anchor()`` scrolls (and stops the running ``scroll_y`` animation), and
        stopping an animation from inside the animator's own tick crashes it
        (``KeyError: (…, 'scroll_y')``). So the scroll is deferred; releasing the
        anchor does not scroll and happens at once.
        """
        if following:
            self.call_after_refresh(self._pin_to_bottom)
        else:
            self.anchor(False)

    def _pin_to_bottom(self) -> None:
        """Anchor at the bottom, unless the reader has moved on meanwhile."""
        if not self.following or not self.is_attached:
            return
        if self.app.animator.is_being_animated(self, "scroll_y"):
            # A scroll is under way (the rest of End's, or the reader's next one):
            # look again once it has moved; a scroll away turns following off.
            self.call_after_refresh(self._pin_to_bottom)
            return
        self.anchor()

    def watch_selected(self, old: int | None, new: int | None) -> None:
        """Move the selection highlight."""
        if old is not None and old in self.cards:
            self.cards[old].remove_class("-selected")
        if new is not None and new in self.cards:
            self.cards[new].add_class("-selected")
