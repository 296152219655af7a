"""The command line: `qa-queue` opens the app; subcommands serve scripts and cron."""

from __future__ import annotations

import os
import sys

import click

from .. import __version__, config
from ..errors import BadInput, DatabaseError, QaQueueError, why
from .admin import demo, episodes, hosts, podcast, whoami
from .context import Session, pass_session
from .doctor import doctor
from .exchange import export, import_files
from .forget import forget
from .listener import listener
from .lookalikes import lookalikes
from .questions import add, answer, draft, list_questions, show, undo, update
from .replies import replies
from .serve import serve


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH",
    help="Database file (default: your user data folder, or $QA_QUEUE_DB).",
)
@click.option(
    "--as",
    "host",
    metavar="HOST",
    help="Which host you are (default: $QA_QUEUE_HOST, or the one `whoami` remembered).",
)
@click.version_option(__version__, prog_name="qa-queue")
@click.pass_context
def cli(ctx: click.Context, db: str | None, host: str | None) -> None:
    """Keep every listener question in one queue: triage, assign, draft, answer, export.

    Without a command, opens the queue in the terminal app.
    """
    ctx.obj = Session(db, host)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_app)


@click.command("app")
@pass_session
def open_app(session: Session) -> None:
    """Open the terminal app (the default)."""
    from .summary import print_summary

    queue = session.queue
    if served_in_browser():
        # `qa-queue serve` started this process for a signed-in host, named in its environment
        if not queue.me or queue.me != os.environ.get(config.HOST_ENV, "").strip().lower():
            raise BadInput("the signed-in host is not a host of this show")
        from ..tui.app import QaQueueApp as ServedApp

        ServedApp(queue, served=True, remember_host=lambda host: None).run()
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print_summary(queue, session.db_path)
        click.echo("(no terminal here, so the app was not opened; see `qa-queue --help`)")
        return
    try:
        from ..tui.app import QaQueueApp
    except ImportError:
        print_summary(queue, session.db_path)
        return
    QaQueueApp(queue).run()


def served_in_browser() -> bool:
    """Whether Textual draws this process for a browser (textual-serve's web driver): it has
    pipes, not a terminal, and `qa-queue serve` set the host in its environment."""
    return os.environ.get("TEXTUAL_DRIVER", "") == WEB_DRIVER


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


for command in (
    open_app,
    add,
    import_files,
    list_questions,
    show,
    update,
    draft,
    answer,
    undo,
    forget,
    listener,
    lookalikes,
    export,
    hosts,
    episodes,
    replies,
    podcast,
    whoami,
    demo,
    doctor,
    serve,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every failure is one line on stderr and a non-zero exit, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            # bytes the terminal's encoding could not read arrive as lone surrogates
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            click.echo(f"qa-queue: an argument is not valid UTF-8 text: {shown}", err=True)
            sys.exit(BadInput.exit_code)
    try:
        result = cli.main(args=argv, prog_name="qa-queue", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("qa-queue: aborted", err=True)
        sys.exit(130)
    except click.UsageError as error:
        # one line, like every other error: the usage block is one --help away
        command = error.ctx.command_path if error.ctx else "qa-queue"
        message = " ".join(error.format_message().split())
        click.echo(f"{command}: {message} (see '{command} --help')", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        click.echo(f"qa-queue: {' '.join(error.format_message().split())}", err=True)
        sys.exit(error.exit_code)
    except QaQueueError as error:
        click.echo(f"qa-queue: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # e.g. `qa-queue list | head`: the reader left; say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as error:
        # a file-system problem the code did not foresee: still one line naming the file
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"qa-queue: {where}{why(error)}", err=True)
        sys.exit(DatabaseError.exit_code)
    except MemoryError:
        click.echo("qa-queue: out of memory (is the file far larger than it should be?)", err=True)
        sys.exit(DatabaseError.exit_code)
    except Exception as error:
        if os.environ.get("QA_QUEUE_DEBUG"):
            raise
        click.echo(
            f"qa-queue: internal error: {type(error).__name__}: {error} "
            "(run with QA_QUEUE_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(70)
    sys.exit(result if isinstance(result, int) else 0)
