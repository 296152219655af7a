"""The export dialog: show notes or data for an episode or a selection, previewed as they will
be written, then written to a file or copied to the clipboard. Like the command line's, the
export holds the answered questions (ready ones too when asked) and says which it left out.

The app never exports anything private: the show notes are built with include_private off, so no
listener's contact and no internal notes. Rendering and writing run in thread workers on a
ShowNotes built beforehand, so they never touch the store or a widget.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from ...errors import QaQueueError
from ...exporters import EXTENSIONS, FORMATS, Exported, ShowNotes, exported
from ...exporters.writing import write_export
from ...text import counted
from ..host_app import HostApp
from ..text import literal, one_line
from ..widgets.ticks import Dot, Tick
from .pick import Choice, Pick

PREVIEW_LINES = 1500  # enough to read; the file gets everything
# what a browser is told a download is
DOWNLOAD_TYPES = {
    "markdown": "text/markdown",
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv",
    "chapters": "application/json",
}


def default_path(notes: ShowNotes, fmt: str) -> str:
    """./episode-212-show-notes.md, ./episode-212.chapters.json, ./show-notes.csv…"""
    stem = f"episode-{notes.episode.number}" if notes.episode else "questions"
    if fmt != "chapters":
        stem += "-show-notes" if fmt in ("markdown", "html") else ""
    return f"./{stem}{EXTENSIONS[fmt]}"


# what a preview is rendered for: the format, full answers, ready questions too
Options = tuple[str, bool, bool]


def render(notes: ShowNotes, options: Options) -> Exported:
    fmt, full, ready = options
    chosen = replace(notes, full_answers=full, include_ready=ready, include_private=False)
    return exported(fmt, chosen)


class ExportRendered(Message):
    """A preview was rendered (in a worker thread), or could not be."""

    def __init__(self, options: Options, done: Exported | None, error: str = "") -> None:
        super().__init__()
        self.options, self.done, self.error = options, done, error


class ExportWritten(Message):
    """The file was written (in a worker thread), or could not be."""

    def __init__(self, path: Path, size: int, error: str = "") -> None:
        super().__init__()
        self.path, self.size, self.error = path, size, error


class ExportDialog(ModalScreen[None]):
    """Pick a format, look at the result, write it or copy it; esc closes."""

    app: HostApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "write", "Write the file"),
        Binding("ctrl+y", "copy", "Copy to the clipboard"),
        Binding("ctrl+f", "toggle_full", "Full or short answers"),
        Binding("ctrl+r", "toggle_ready", "Ready questions too (a preview)"),
    ]

    def __init__(self, notes: ShowNotes, what: str) -> None:
        """`what` names the export in people's words: "episode 212", "3 questions"."""
        super().__init__(classes="dialog-screen")
        self.notes = replace(notes, include_private=False)
        self.what = what
        self.fmt, self.full, self.ready = FORMATS[0], notes.full_answers, notes.include_ready
        self.text = ""  # the preview's full text, once rendered for the options
        self._rendered_for: Options | None = None

    def _remembered(self) -> None:
        if self.app.export_choices is not None:
            self.fmt, self.full, self.ready = self.app.export_choices

    def compose(self) -> ComposeResult:
        self._remembered()
        count = len(self.notes.questions)
        heading = f"Export {self.what} ({counted(count, 'question')})"
        with Vertical(classes="dialog -wide", id="export"):
            yield Label(Text(heading), classes="dialog-title", id="export-heading")
            with Horizontal(id="export-options"):
                with RadioSet(id="export-format", compact=True):
                    for fmt in FORMATS:
                        yield Dot(fmt, value=fmt == self.fmt, name=fmt)
                with Horizontal(id="export-switches"):
                    yield Tick("full answers", self.full, id="export-full", compact=True)
                    yield Tick("ready too", self.ready, id="export-ready", compact=True)
            yield Label(id="export-left-out", classes="dialog-note")
            with VerticalScroll(id="export-preview"):
                yield Static(id="export-text")
            with Horizontal(id="export-file"):
                yield Input(self._default_name(self.fmt), id="export-path", compact=True)
                write = "Download ctrl+s" if self.app.served else "Write ctrl+s"
                yield Button(write, variant="primary", id="export-write", compact=True)
                yield Button("Copy ctrl+y", id="export-copy", compact=True)
            yield Label(id="export-status", classes="dialog-note")

    def on_mount(self) -> None:
        self.query_one("#export-preview").border_title = "preview"
        self.query_one("#export-left-out").display = False  # until a preview says
        self._status("no listener contact or internal notes are ever exported from the app")
        self._refresh_preview()
        self.query_one(RadioSet).focus()

    def _status(self, message: str, error: bool = False) -> None:
        label = self.query_one("#export-status", Label)
        label.update(Text(one_line(message)))
        label.set_class(error, "-error")

    # -- options and preview -------------------------------------------------------------------

    @on(RadioSet.Changed, "#export-format")
    def format_chosen(self, event: RadioSet.Changed) -> None:
        fmt = event.pressed.name or FORMATS[0]
        path = self.query_one("#export-path", Input)
        if path.value == self._default_name(self.fmt):  # not edited: follow the format
            path.value = self._default_name(fmt)
        self.fmt = fmt
        self._refresh_preview()

    @on(Checkbox.Changed, "#export-full")
    def full_toggled(self, event: Checkbox.Changed) -> None:
        self.full = event.value
        self._refresh_preview()

    def action_toggle_full(self) -> None:
        self.query_one("#export-full", Checkbox).toggle()

    @on(Checkbox.Changed, "#export-ready")
    def ready_toggled(self, event: Checkbox.Changed) -> None:
        self.ready = event.value
        self._refresh_preview()

    def action_toggle_ready(self) -> None:
        self.query_one("#export-ready", Checkbox).toggle()

    @property
    def options(self) -> Options:
        return (self.fmt, self.full, self.ready)

    def _refresh_preview(self) -> None:
        self.app.export_choices = self.options
        self._rendered_for = None
        self._render_preview(self.notes, self.options)

    # descriptions, or Textual writes them with repr() of the arguments: every question
    @work(thread=True, exclusive=True, group="export-preview", description="rendering")
    def _render_preview(self, notes: ShowNotes, options: Options) -> None:
        try:
            self.post_message(ExportRendered(options, render(notes, options)))
        except QaQueueError as error:
            self.post_message(ExportRendered(options, None, str(error)))

    @on(ExportRendered)
    def rendered(self, event: ExportRendered) -> None:
        if event.options != self.options:
            return  # an older choice's preview, overtaken
        shown = self.query_one("#export-text", Static)
        left_out = self.query_one("#export-left-out", Label)
        if event.done is None:
            shown.update(Text(one_line(event.error), style="bold"))
            left_out.display = False
            self._status(f"cannot export: {event.error}", error=True)
            return
        self.text = event.done.text
        self._rendered_for = event.options
        # ids and statuses only: no listener text, but Text all the same (never markup)
        left_out.update(Text(event.done.left_out_line))
        left_out.display = bool(event.done.left_out)
        # the questions this file holds, and of how many the episode or selection has
        total = len(self.notes.questions)
        if event.done.count == total:
            held = counted(total, "question")
        elif event.done.count == 0:
            held = f"none of {total} can go in yet"
        else:
            held = f"{event.done.count} of {total} questions"
        heading = f"Export {self.what} ({held})"
        self.query_one("#export-heading", Label).update(Text(heading))
        lines = literal(event.done.text).split("\n")
        preview = "\n".join(lines[:PREVIEW_LINES])
        if len(lines) > PREVIEW_LINES:
            preview += f"\n… {len(lines) - PREVIEW_LINES} more lines in the file"
        shown.update(Text(preview))  # literal: listener text is never markup or escapes here

    def current_text(self) -> str:
        """The export for the chosen options (rendered now if the preview is still coming)."""
        if self._rendered_for != self.options:
            self.text = render(self.notes, self.options).text
            self._rendered_for = self.options
        return self.text

    # -- writing and copying -------------------------------------------------------------------

    def _default_name(self, fmt: str) -> str:
        """A path here; in a browser only the name its download gets."""
        path = default_path(self.notes, fmt)
        return path.removeprefix("./") if self.app.served else path

    def action_write(self) -> None:
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._status("type a file name first", error=True)
            return
        if self.app.served:
            self._download(typed)
            return
        path = Path(typed).expanduser()
        path = path if path.is_absolute() else Path.cwd() / path
        try:
            text = self.current_text()
        except QaQueueError as error:
            self._status(f"cannot export: {error}", error=True)
            return
        if path.is_dir():
            self._status(f"{path} is a folder: add a file name", error=True)
            return
        if not path.exists():
            self._write_file(path, text, overwrite=False)
            return
        choices = [Choice("Overwrite it", True), Choice("Keep it (choose another name)", False)]

        def confirmed(overwrite: bool | None) -> None:
            if overwrite:
                self._write_file(path, text, overwrite=True)
            else:
                self.query_one("#export-path", Input).focus()

        self.app.push_screen(Pick(f"{one_line(str(path))} exists", choices), confirmed)

    @work(thread=True, exclusive=True, group="export-write", description="writing the file")
    def _write_file(self, path: Path, text: str, overwrite: bool) -> None:
        try:
            size = write_export(path, text, private=False, overwrite=overwrite)
        except FileExistsError:
            why = f"{path} was not written: it appeared meanwhile; write again to confirm"
            self.post_message(ExportWritten(path, 0, why))
        except QaQueueError as error:  # it names the file
            self.post_message(ExportWritten(path, 0, f"not written: {error}"))
        else:
            self.post_message(ExportWritten(path, size))

    @on(ExportWritten)
    def written(self, event: ExportWritten) -> None:
        if event.error:
            self._status(event.error, error=True)
            self.app.tell(event.error, "error")
            return
        message = f"Wrote {self.what} ({self.fmt}, {event.size:,} bytes) to {event.path}"
        self._status(message)
        self.app.tell(message)

    def _download(self, typed: str) -> None:
        """In a browser: the export goes to the host's browser as a download; nothing is
        written on the server."""
        name = PurePosixPath(typed.replace("\\", "/")).name or self._default_name(self.fmt)
        try:
            text = self.current_text()
        except QaQueueError as error:
            self._status(f"cannot export: {error}", error=True)
            return
        # the bytes as a file would hold them (CSV keeps its CRLF rows)
        data = io.BytesIO(text.encode("utf-8"))
        mime = DOWNLOAD_TYPES.get(self.fmt, "text/plain") + "; charset=utf-8"
        self.app.deliver_binary(data, save_filename=name, mime_type=mime)
        message = f"Downloading {self.what} ({self.fmt}, {len(text.encode()):,} bytes) as {name}"
        self._status(message)
        self.app.tell(message)

    def action_copy(self) -> None:
        try:
            text = self.current_text()
        except QaQueueError as error:
            self._status(f"cannot export: {error}", error=True)
            return
        self.app.copy_to_clipboard(text)
        message = f"Copied {self.what} ({self.fmt}) to the clipboard (the terminal must allow it)"
        self._status(message)
        self.app.tell(message)

    @on(Button.Pressed, "#export-write")
    def write_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#export-copy")
    def copy_pressed(self) -> None:
        self.action_copy()

    @on(Input.Submitted, "#export-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

    def action_close(self) -> None:
        self.dismiss(None)
