"""The episodes screen: every episode with its air date, title, how many questions it answers
and how long their answers take to say; add or edit one, open it, export its show notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Label

from ...errors import QaQueueError
from ...model.question import Episode
from ...spoken import clock, spoken_seconds, word_count
from ..dialogs.episode_form import EpisodeFields, EpisodeForm
from ..host_app import HostApp
from ..messages import QuestionsChanged
from ..text import one_line
from ..widgets.footer import KeysFooter
from ..widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from ...queue import QuestionQueue


def answer_seconds(queue: QuestionQueue, question_ids: list[int]) -> dict[int, int]:
    """Each question's answer (else my draft) as seconds on air; 0 for a gone question."""
    seconds = {}
    for question_id in question_ids:
        try:
            question = queue.get(question_id)
        except QaQueueError:
            seconds[question_id] = 0
            continue
        draft = question.drafts.get(queue.me or "")
        text = question.answer.text if question.answer else (draft.text if draft else "")
        seconds[question_id] = spoken_seconds(word_count(text))
    return seconds


# (header, key) of the table's columns, the title last: the one cut to the screen's width
_COLUMNS = (
    ("episode", "number"),
    ("air date", "air_date"),
    ("questions", "count"),
    ("spoken", "spoken"),
    ("title", "title"),
)


class EpisodesScreen(Screen[None]):
    """The show's episodes, newest last; enter opens one."""

    REACHES_EPISODES = True  # it is them: the palette need not offer them

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [
        # short descriptions fit the footer at 80 columns; tooltips name them in help and palette
        Binding("escape", "back", "Back", tooltip="Back to the queue"),
        Binding("enter", "open_episode", "Open", tooltip="Open the episode"),
        Binding("n", "new_episode", "New episode"),
        Binding("e", "edit_episode", "Edit", tooltip="Edit the episode (title, air date)"),
        Binding("X", "export", "Export", tooltip="Export the episode's show notes"),
        # j/k move as they do in the queue
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, queue: QuestionQueue) -> None:
        super().__init__(id="episodes-screen")
        self.queue = queue
        self.episodes: list[Episode] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()  # its icon is one a browser's fonts have, when served
        yield Label(Text("Episodes · enter opens one", style="bold"), id="episodes-heading")
        yield DataTable(id="episodes", cursor_type="row", zebra_stripes=True)
        yield Label(id="episodes-empty", classes="screen-hint")
        yield KeysFooter()

    @property
    def table(self) -> DataTable:
        return self.query_one("#episodes", DataTable)

    def on_mount(self) -> None:
        self.query_one(TitleBar).show("Episodes")
        table = self.table
        self.reload()
        table.focus()
        if self.app.refresh_interval > 0:
            # episodes are not questions: the app's look for changes does not report them
            self.set_interval(self.app.refresh_interval, self._check_for_changes)

    def _check_for_changes(self) -> None:
        if self.queue.episodes() != self.episodes:
            self.reload()

    def reload(self, keep: int | None = None) -> None:
        table = self.table
        if keep is None and self.episodes and table.row_count:
            keep = self.current.number if self.current else None
        self.episodes = self.queue.episodes()
        rows = []
        for episode in self.episodes:
            seconds = answer_seconds(self.queue, episode.question_ids)
            rows.append(
                (
                    Text(str(episode.number), justify="right"),
                    Text(episode.air_date or "—"),
                    Text(str(len(episode.question_ids)), justify="right"),
                    Text(clock(sum(seconds.values())), justify="right"),
                    Text(
                        one_line(episode.title) or "(no title)", overflow="ellipsis", no_wrap=True
                    ),
                )
            )
        table.clear(columns=True)
        # the title, last, gets the room the others leave, and ends in "…" where it is cut
        used = 0
        for (header, key), cells in zip(_COLUMNS[:-1], zip(*rows, strict=False), strict=False):
            width = max([len(header), *(cell.cell_len for cell in cells)])
            table.add_column(header, key=key, width=width)
            used += width + 2 * table.cell_padding
        if not rows:
            for header, key in _COLUMNS[len(table.columns) : -1]:
                table.add_column(header, key=key)
        room = self.size.width - used - 2 * table.cell_padding - 1  # 1: the scrollbar's
        table.add_column(_COLUMNS[-1][0], key=_COLUMNS[-1][1], width=max(10, room))
        for episode, cells in zip(self.episodes, rows, strict=True):
            table.add_row(*cells, key=str(episode.number))
        hint = self.query_one("#episodes-empty", Label)
        hint.display = not self.episodes
        hint.update(Text("No episodes yet: n adds one."))
        numbers = [e.number for e in self.episodes]
        if keep in numbers:
            table.move_cursor(row=numbers.index(keep), animate=False)

    def on_resize(self) -> None:
        self.reload()

    @property
    def current(self) -> Episode | None:
        row = self.table.cursor_row
        return self.episodes[row] if 0 <= row < len(self.episodes) else None

    # -- actions ----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#episodes")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_episode()

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_open_episode(self) -> None:
        if self.current is not None:
            self.app.open_episode(self.current.number)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_new_episode(self) -> None:
        suggested = max((e.number for e in self.episodes), default=0) + 1
        form = EpisodeForm(self.queue.now(), self.queue.zone, suggested_number=suggested)
        self.app.push_screen(form, self._save)

    def action_edit_episode(self) -> None:
        if self.current is not None:
            form = EpisodeForm(self.queue.now(), self.queue.zone, self.current)
            self.app.push_screen(form, self._save)

    def _save(self, fields: EpisodeFields | None) -> None:
        if fields is None:
            return
        try:
            self.queue.save_episode(fields.number, fields.title, fields.air_date)
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return
        self.reload(keep=fields.number)
        self.app.tell(f"Episode {fields.number} saved")

    def action_export(self) -> None:
        if self.current is not None:
            self.app.open_export_episode(self.current.number)

    def on_screen_resume(self) -> None:
        self.reload()  # back from an episode, the counts and lengths may have changed

    @on(QuestionsChanged)
    def questions_changed(self, _event: QuestionsChanged) -> None:
        self.reload()  # another host put a question into an episode, or changed an answer
