"""One episode: its questions in air order, each with its timestamp and how long its answer
takes to say; move them up and down, set a timestamp, take one out, export the show notes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Label

from ...errors import QaQueueError, StaleRevision, WhoAreYou
from ...model.dates import format_timestamp, parse_timestamp
from ...model.question import Episode, Question
from ...spoken import clock
from ...text import counted
from ..dialogs.ask import Ask
from ..dialogs.episode_form import EpisodeFields, EpisodeForm
from ..host_app import HostApp
from ..messages import QuestionsChanged
from ..text import one_line
from ..widgets.footer import KeysFooter
from ..widgets.title_bar import TitleBar
from .episodes import answer_seconds

if TYPE_CHECKING:
    from ...queue import QuestionQueue


def _timestamp_preview(typed: str) -> str:
    if not typed.strip():
        return "type a time such as 00:41:05"
    return f"at {format_timestamp(parse_timestamp(typed))}"  # BadInput shows why not


class EpisodeScreen(Screen[None]):
    """The running order of one episode."""

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [
        # short descriptions fit the footer at 80 columns; tooltips name them in help and palette
        Binding("escape", "back", "Back", tooltip="Back to the episodes"),
        Binding("K,shift+up", "move(-1)", "Up", tooltip="Move up in the running order"),
        Binding("J,shift+down", "move(1)", "Down", tooltip="Move down in the running order"),
        # j/k move the cursor as they do in the queue; J/K move the question
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),  # as in the queue
        Binding("end,G", "last", "Last", show=False),
        Binding("t", "timestamp", "Time", tooltip="Set its timestamp in the episode"),
        Binding("delete,x", "remove", "Take out", tooltip="Take it out of the episode"),
        Binding("r", "write_draft", "Draft", tooltip="Write my draft"),
        Binding("e", "edit_episode", "Edit the episode", show=False),
        Binding("X", "export", "Export", tooltip="Export the show notes"),
    ]

    def __init__(self, queue: QuestionQueue, number: int) -> None:
        super().__init__(id="episode-screen")
        self.queue = queue
        self.number = number
        self.episode = Episode(number=number)
        self.questions: list[Question] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()  # its icon is one a browser's fonts have, when served
        yield Label(id="episode-heading")
        yield DataTable(id="episode-questions", cursor_type="row", zebra_stripes=True)
        yield Label(id="episode-empty", classes="screen-hint")
        yield KeysFooter()

    @property
    def table(self) -> DataTable:
        return self.query_one("#episode-questions", DataTable)

    def on_mount(self) -> None:
        table = self.table
        for label, key in [
            ("", "position"),
            ("time", "timestamp"),
            ("#", "id"),
            ("status", "status"),
            ("spoken", "spoken"),
            ("title", "title"),  # last: the one that may be cut at 80 columns
        ]:
            table.add_column(label, key=key)
        self.reload()
        table.focus()
        if self.app.refresh_interval > 0:
            # a co-host reordering the episode changes no question: look for it separately
            self.set_interval(self.app.refresh_interval, self._check_for_changes)

    def _check_for_changes(self) -> None:
        try:
            if self.queue.episode(self.number) != self.episode:
                self.reload()
        except QaQueueError:
            pass  # deleted elsewhere: the next reload says so

    @property
    def current(self) -> Question | None:
        row = self.table.cursor_row
        return self.questions[row] if 0 <= row < len(self.questions) else None

    def reload(self, keep: int | None = None) -> None:
        if keep is None and self.current is not None:
            keep = self.current.id
        try:
            self.episode = self.queue.episode(self.number)
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return
        self.questions = []
        for question_id in self.episode.question_ids:
            try:
                self.questions.append(self.queue.get(question_id))
            except QaQueueError:
                continue  # gone; the episode still lists it until it is saved again
        seconds = answer_seconds(self.queue, [q.id for q in self.questions])
        table = self.table
        table.clear()
        for position, question in enumerate(self.questions, start=1):
            table.add_row(
                Text(str(position), style="dim", justify="right"),
                Text(question.timestamp or "--:--:--", style="" if question.timestamp else "dim"),
                Text(str(question.id), style="dim", justify="right"),
                Text(question.status.value),
                Text(clock(seconds[question.id]), justify="right"),
                Text(one_line(question.title)),  # listener text: literal
                key=str(question.id),
            )
        ids = [q.id for q in self.questions]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self._show_heading(sum(seconds.values()))

    def _show_heading(self, total: int) -> None:
        episode = self.episode
        parts = [f"Episode {episode.number}"]
        if episode.title:
            parts.append(one_line(episode.title))
        if episode.air_date:
            today = self.queue.now().astimezone(self.queue.zone).date().isoformat()
            parts.append(f"{'aired' if episode.air_date < today else 'airs'} {episode.air_date}")
        else:
            parts.append("no air date")
        count = len(self.questions)
        parts.append(counted(count, "question"))
        parts.append(f"about {clock(total)} of answers")
        self.query_one(TitleBar).show(f"Episode {episode.number}")
        self.query_one("#episode-heading", Label).update(Text(" · ".join(parts), style="bold"))
        hint = self.query_one("#episode-empty", Label)
        hint.display = not self.questions
        hint.update(Text("No questions in this episode yet: e on a question in the queue adds it."))

    def on_screen_resume(self) -> None:
        self.reload()

    @on(QuestionsChanged)
    def questions_changed(self, _event: QuestionsChanged) -> None:
        self.reload()  # another host changed questions: timestamps, titles, answers

    # -- actions ----------------------------------------------------------------------------

    def _change(
        self, what: str, operation: Callable[..., Any], *args: Any, read: Question | None = None
    ) -> bool:
        """Do `operation` on the question under the cursor, or on `read`, the version a dialog
        was opened on: a co-host's change while it was open is refused, not overwritten."""
        question = read or self.current
        if question is None:
            return False
        try:
            operation(question.id, *args, expected_revision=question.revision)
        except WhoAreYou:
            self.app.ask_who_i_am(partial(self._change, what, operation, *args, read=read))
            return False
        except StaleRevision as error:
            self.app.tell(str(error), "warning")
            self.reload()
            return False
        except QaQueueError as error:
            self.app.tell(f"#{question.id}: {error}", "error")
            return False
        self.reload(keep=question.id)
        self.app.tell(what)
        return True

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_first(self) -> None:
        if self.table.row_count:
            self.table.move_cursor(row=0)

    def action_last(self) -> None:
        if self.table.row_count:
            self.table.move_cursor(row=self.table.row_count - 1)

    def action_move(self, offset: int) -> None:
        question = self.current
        if question is None:
            return
        index = self.questions.index(question)
        target = index + offset
        if not 0 <= target < len(self.questions):
            return
        other = self.questions[target]
        if question.timestamp and other.timestamp and question.timestamp != other.timestamp:
            # the show notes follow the timestamps, so an order against them would not stick
            self.app.tell(
                f"#{question.id} is at {question.timestamp} and #{other.id} at "
                f"{other.timestamp}: their timestamps set the order (t changes one)",
                "warning",
            )
            return
        try:
            self.queue.move_in_episode(self.number, question.id, offset)
        except QaQueueError as error:
            self.app.tell(str(error), "error")
        self.reload(keep=question.id)

    def action_timestamp(self) -> None:
        question = self.current
        if question is None:
            return

        def place(typed: str | None) -> None:
            if typed and typed.strip():
                stamp = format_timestamp(parse_timestamp(typed))
                placed = self._change(
                    f"#{question.id} at {stamp}",
                    self.queue.add_to_episode,
                    self.number,
                    stamp,
                    read=question,
                )
                if placed and (shared := self.queue.sharing_time(question.id)):
                    self.app.tell(f"{shared}: is one of them a slip?", "warning")

        ask = Ask(
            f"Where #{question.id} starts in episode {self.number}",
            value=question.timestamp or "",
            placeholder="00:41:05",
            preview=_timestamp_preview,
        )
        self.app.push_screen(ask, place)

    def action_remove(self) -> None:
        question = self.current
        if question is not None:
            what = f"Took #{question.id} out of episode {self.number} (u on the queue undoes it)"
            self._change(what, self.queue.remove_from_episode)

    def action_write_draft(self) -> None:
        if self.current is not None:
            self.app.open_draft_editor(self.current.id)

    @on(DataTable.RowSelected, "#episode-questions")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_write_draft()

    def action_edit_episode(self) -> None:
        form = EpisodeForm(self.queue.now(), self.queue.zone, self.episode)

        def save(fields: EpisodeFields | None) -> None:
            if fields is None:
                return
            try:
                self.queue.save_episode(fields.number, fields.title, fields.air_date)
            except QaQueueError as error:
                self.app.tell(str(error), "error")
                return
            self.reload()

        self.app.push_screen(form, save)

    def action_export(self) -> None:
        self.app.open_export_episode(self.number)

    def action_back(self) -> None:
        self.app.pop_screen()
