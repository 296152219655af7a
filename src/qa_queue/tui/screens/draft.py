"""The draft editor: the listener's question beside *my* draft, autosaved, with its word count
and spoken length, saved replies, references, and "make this the answer".

Saving goes through QuestionQueue.save_draft with the revision this screen last saw. When a
co-host changed the question in the meantime the core refuses (StaleRevision); the text in the
editor is never touched by that: the screen says so, shows the fresh question and saves again
on its revision. Typed text is saved a second after typing stops, on leaving, and on quitting.

The app builds one editor and `load`s each question into it: composing a screen this size
takes ~150 ms, showing a built one again a fraction of that (benchmarks/tui.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, TextArea

from ...errors import AnswerTaken, QaQueueError, StaleRevision
from ...model import workflow
from ...model.changes import summary
from ...model.question import Question, Status
from ...spoken import length_line
from ..dialogs.pick import Choice, Pick, confirm
from ..host_app import HostApp
from ..messages import QuestionsChanged
from ..text import one_line
from ..widgets.footer import KeysFooter
from ..widgets.question_pane import QuestionPane
from ..widgets.text_line import TextLine
from ..widgets.title_bar import TitleBar
from ..widgets.writing_area import WritingArea
from .draft_replies import RepliesAndReferences

if TYPE_CHECKING:
    from ...queue import QuestionQueue

AUTOSAVE_AFTER = 1.0  # seconds after the last keystroke


class DraftEditor(Screen[None]):
    """Write my take on one question; esc goes back to the queue on the same question."""

    app: HostApp
    AUTO_FOCUS = "#draft-text"
    BINDINGS: ClassVar[list[BindingType]] = [
        # short descriptions fit the footer at 80 columns; tooltips name them in help and palette
        Binding("escape", "back", "Back", tooltip="Back to the queue (saves first)"),
        Binding("ctrl+s", "save", "Save", tooltip="Save my draft now"),
        Binding("ctrl+r", "saved_reply", "Saved reply", tooltip="Insert a saved reply"),
        Binding(
            "ctrl+n",
            "save_as_reply",
            "Save as reply",
            tooltip="Save the draft as a saved reply",
            show=False,
        ),
        Binding("ctrl+l", "add_reference", "Reference", tooltip="Add a reference"),
        Binding("ctrl+t", "make_answer", "Answer", tooltip="Make this the answer"),
        Binding("delete", "remove_reference", "Remove the reference", show=False),
    ]

    def __init__(self, queue: QuestionQueue) -> None:
        super().__init__(id="draft-editor")
        self.queue = queue
        self._timer: Timer | None = None
        self._showing = True

    def load(self, question: Question, text: str | None = None) -> None:
        """Edit my draft of this question; `text`: what was typed before and could not be
        saved (kept by the app), instead of the stored draft."""
        self.question = question
        self.question_id = question.id
        self.me = self.queue.me or ""
        self.revision = question.revision  # the version my next save is based on
        self.loaded_revision = question.revision
        self.saved_text = self._my_draft(question)  # my draft as stored at that revision
        # kept here as well as in the widget, which is gone by the time the screen unmounts
        self._text = self.saved_text if text is None else text
        self._just_loaded = True  # the draft gets the focus when the screen shows
        if self.is_mounted:
            self._fill()

    def _my_draft(self, question: Question) -> str:
        draft = question.drafts.get(self.me)
        return draft.text if draft else ""

    def compose(self) -> ComposeResult:
        editor = WritingArea(
            id="draft-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus"
        )
        references = OptionList(id="draft-references")
        # saved replies and references (draft_replies.py): on these two widgets, handed the rest
        self.replies_and_references = RepliesAndReferences(
            self.app,
            self.queue,
            editor,
            references,
            question=lambda: self.question,
            revision=lambda: self.revision,
            changed=self._changed_here,
            conflict=self._reload_after_conflict,
        )
        yield TitleBar()
        with Horizontal(id="editor-panes"):
            yield QuestionPane(host_name=self.queue.host_name, id="editor-question")
            with Vertical(id="editor-side"):
                yield editor
                yield TextLine(id="draft-stats")
                yield references
        yield KeysFooter()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#draft-text", TextArea)

    @property
    def references(self) -> OptionList:
        return self.query_one("#draft-references", OptionList)

    @property
    def unsaved(self) -> bool:
        return self._text != self.saved_text

    @property
    def autosave_pending(self) -> bool:
        return self._timer is not None

    def on_mount(self) -> None:
        self.references.border_title = "References · ctrl+l adds · enter edits · del removes"
        self._fill()

    def _fill(self) -> None:
        """Show the loaded question and put my draft into the editor, the cursor at its end."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        name = one_line(self.queue.host_name(self.me))
        self.query_one(TitleBar).show(f"{name}'s draft of #{self.question_id}")
        editor = self.editor
        editor.border_title = f"{name}'s take"
        editor.load_text(self._text)
        editor.move_cursor(editor.document.end)
        editor.scroll_end(animate=False)
        self._show(self.question)
        self._show_stats()
        if self.unsaved:  # text the app kept from a save that failed: try again soon
            self._timer = self.set_timer(AUTOSAVE_AFTER, self.autosave)

    def on_screen_resume(self) -> None:
        # a dialog closing keeps the focus where it was; a question just loaded starts typing
        if self._just_loaded:
            self._just_loaded = False
            if self.focused is not self.editor:  # focus() repaints it even when it has it
                self.editor.focus()

    def _show(self, question: Question) -> None:
        self.question = question
        if not self._showing:
            return  # saving on the way out: the widgets are gone
        self.query_one(QuestionPane).show(question, self.me)
        references = self.references
        highlighted = references.highlighted
        references.clear_options()
        for index, reference in enumerate(question.references):
            label = Text(one_line(reference.title))
            if reference.url:
                label.append("  " + one_line(reference.url), "dim")
            references.add_option(Choice(label, index))
        if question.references:
            references.highlighted = min(highlighted or 0, len(question.references) - 1)
        references.display = bool(question.references)

    def _changed_here(self, question: Question) -> None:
        """A change made here (references, the answer, its status): my next save is on it."""
        self.revision = question.revision
        self._show(question)

    def _show_stats(self, note: str = "") -> None:
        if not self._showing:
            return
        state = note or ("unsaved" if self.unsaved else "saved")
        self.query_one("#draft-stats", TextLine).show(
            Text.assemble(length_line(self._text), (f" · {state}", "dim"))
        )

    # -- typing and saving ------------------------------------------------------------------

    @on(TextArea.Changed, "#draft-text")
    def typed(self, event: TextArea.Changed) -> None:
        if event.text_area.text == self._text:
            return  # the draft just loaded into the editor: nothing new to show or save
        self._text = event.text_area.text
        self._show_stats()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.unsaved:
            self._timer = self.set_timer(AUTOSAVE_AFTER, self.autosave)

    _saved_at = ""  # "saved 09:14:02": when this editor last stored the draft

    def autosave(self) -> None:
        """What the timer runs once typing has stopped for a second."""
        self._timer = None
        self.save()

    def save(self) -> bool:
        """Save my draft if it changed; False when it could not be saved (the text stays)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self._text
        if text == self.saved_text or (not text.strip() and self.me not in self.question.drafts):
            # nothing to store (an untouched empty draft stays absent): say when it last was
            self._show_stats(self._saved_at)
            return True
        try:
            saved = self.queue.save_draft(self.question_id, text, expected_revision=self.revision)
        except StaleRevision:
            self._reload_after_conflict()
            return False
        except QaQueueError as error:
            self.app.tell(f"Your draft of #{self.question_id} was not saved: {error}", "error")
            self._show_stats("NOT saved")
            return False
        self.revision = saved.revision
        self.saved_text = text
        self._show(saved)
        self._saved_at = f"saved {self.queue.now().astimezone(self.queue.zone):%H:%M:%S}"
        self._show_stats(self._saved_at)
        return True

    def _reload_after_conflict(self) -> None:
        """A co-host changed the question: keep my text, show theirs, save on the fresh version."""
        try:
            fresh = self.queue.get(self.question_id)
        except QaQueueError as error:
            self.app.tell(f"#{self.question_id} cannot be read again: {error}", "error")
            return
        last = fresh.history[-1] if fresh.history else None
        who = f" by {self.queue.host_name(last.host)}" if last else ""
        if last is not None and last.host == self.me:
            who = " in another window of yours"  # the same host in a second tab or terminal
        mine_elsewhere = self._my_draft(fresh) != self.saved_text
        self.revision = fresh.revision
        self.saved_text = self._my_draft(fresh)
        self._show(fresh)
        if mine_elsewhere:
            note = "your draft was also changed elsewhere; the text here replaces it when saved"
        else:
            note = "your text here is kept and saved on the new version"
        self.app.tell(f"#{self.question_id} was changed{who} while you wrote: {note}", "warning")
        self._show_stats("unsaved (changed elsewhere)")
        self._timer = self.set_timer(AUTOSAVE_AFTER, self.autosave)

    def flush(self) -> bool:
        """Save now, and once more on the fresh version if a co-host got in between."""
        return self.save() or self.save()

    def action_save(self) -> None:
        self.flush()

    def on_unmount(self) -> None:
        # the last chance (the app quitting): what cannot be saved stays with the app
        self._showing = False
        if self.unsaved and not self.flush():
            self.app.keep_unsaved_draft(self.question_id, self._text)

    def action_back(self) -> None:
        if not self.flush():
            self.app.keep_unsaved_draft(self.question_id, self._text)
            self.saved_text = self._text  # kept by the app, which reopens it with r
        # the queue re-reads only if the question changed here (others' changes it hears of)
        self.app.close_draft_editor(self.question_id, self.revision != self.loaded_revision)

    @on(QuestionsChanged)
    def questions_changed(self, event: QuestionsChanged) -> None:
        if self.question_id in event.question_ids:
            self.refreshed()

    def refreshed(self) -> None:
        """The question changed on disk (a co-host): show it and say what changed, leaving my
        text alone; my next save meets the conflict and keeps my text."""
        try:
            fresh = self.queue.get(self.question_id)
        except QaQueueError:
            return
        seen = max((entry.seq for entry in self.question.history), default=0)
        revision = self.revision
        self._show(fresh)
        self.revision = revision
        theirs = [e for e in fresh.history if e.seq > seen and e.host != self.me]
        if theirs:
            said = "; ".join(summary(entry, self.queue.host_name) for entry in theirs[-3:])
            who = one_line(self.queue.host_name(theirs[-1].host))
            self.app.tell(f"{who} changed #{self.question_id} ({said}); your text is as it was")
        elif self._my_draft(fresh) not in (self.saved_text, self._text):
            # my own draft, saved from another tab or terminal: this one would replace it
            self.app.tell(
                f"Your draft of #{self.question_id} was changed in another window of yours; "
                "the text here replaces it when saved",
                "warning",
            )

    # -- saved replies and references (draft_replies.py) ------------------------------------

    def action_saved_reply(self) -> None:
        self.replies_and_references.insert_saved_reply()

    def action_save_as_reply(self) -> None:
        self.replies_and_references.save_as_reply()

    def action_add_reference(self) -> None:
        self.replies_and_references.add_reference()

    @on(OptionList.OptionSelected, "#draft-references")
    def reference_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option
        assert isinstance(choice, Choice)  # the list holds a Choice of each reference's index
        self.replies_and_references.edit_reference(choice.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_reference":
            return self.replies_and_references.can_remove_reference()
        return True

    def action_remove_reference(self) -> None:
        self.replies_and_references.remove_reference()

    # -- finishing ------------------------------------------------------------------------------

    def action_make_answer(self, replace: bool = False) -> None:
        if not self._text.strip():
            self.app.tell("Write the draft first: an empty draft cannot be the answer", "warning")
            return
        if not self.flush():
            return
        try:
            answered = self.queue.set_answer(
                self.question_id, expected_revision=self.revision, replace=replace
            )
        except StaleRevision:
            self._reload_after_conflict()
            return
        except AnswerTaken as taken:
            self._ask_to_replace(taken.host)
            return
        except QaQueueError as error:
            self.app.tell(str(error), "error")
            return
        self._changed_here(answered)
        self.app.tell(f"Your draft is now the answer to #{self.question_id}")
        self._offer_ready(answered)

    def _ask_to_replace(self, owner: str) -> None:
        """A co-host's final answer is theirs: replace it only when I say so."""
        name = one_line(self.queue.host_name(owner))
        answer = self.question.answer
        words = len(answer.text.split()) if answer else 0
        ask = confirm(
            f"#{self.question_id} already has {name}'s final answer ({words} words)",
            f"Replace {name}'s answer with my draft",
            f"Keep {name}'s answer",
            note=f"{name}'s answer is shown beside your draft; history keeps it either way.",
        )

        def answer_it(replace: bool | None) -> None:
            if replace:
                self.action_make_answer(replace=True)

        self.app.push_screen(ask, answer_it)

    def _offer_ready(self, question: Question) -> None:
        steps = workflow.steps_to_ready(question)
        # nobody has it yet: taking it is the first step ("assign a host first")
        take = not question.host and question.status in (Status.NEW, Status.TRIAGED)
        if take:
            steps = [Status.DRAFTING, Status.READY]
        if not steps:
            if question.status not in (Status.READY, Status.ANSWERED):
                reason = workflow.why_not(question, Status.READY) or ""
                self.app.tell(f"Not ready yet: {reason}", "warning")
            return
        hint = "via drafting" if len(steps) > 1 else ""
        label = "Take it and mark it ready" if take else "Mark it ready"
        choices = [Choice(label, True, hint=hint), Choice("Not yet", False)]

        def mark(ready: bool | None) -> None:
            if not ready:
                return
            if take:
                try:
                    self._changed_here(self.queue.take(self.question_id, self.revision))
                except QaQueueError as error:
                    self.app.tell(str(error), "error")
                    return
            for status in steps:
                try:
                    question = self.queue.set_status(
                        self.question_id, status, expected_revision=self.revision
                    )
                except QaQueueError as error:
                    self.app.tell(str(error), "error")
                    return
                self._changed_here(question)
            self.app.tell(f"#{self.question_id} is ready")

        self.app.push_screen(Pick(f"Mark #{self.question_id} ready?", choices), mark)
