"""Commands about the show itself: hosts, episodes, the podcast's name, who I am, demo data."""

from __future__ import annotations

import sys

import click

from .. import config
from ..demo import load_demo
from ..text import counted
from .context import Session, pass_session
from .groups import HelpGroup


@click.group(cls=HelpGroup)
def hosts() -> None:
    """The show's hosts."""


@hosts.command("list")
@pass_session
def hosts_list(session: Session) -> None:
    """List the hosts (the one you are is marked)."""
    found = session.queue.hosts()
    if not found:
        click.echo("no hosts yet: add one with `qa-queue hosts add ID NAME`")
    for host in found:
        mark = "*" if host.id == session.queue.me else " "
        click.echo(f"{mark} {host.id:<12} {host.name}")


@hosts.command("add")
@click.argument("host_id")
@click.argument("name", required=False)
@pass_session
def hosts_add(session: Session, host_id: str, name: str | None) -> None:
    """Add a host (or rename one): `qa-queue hosts add austin "Austin"`."""
    host = session.queue.add_host(host_id, name)
    click.echo(f"host {host.id} ({host.name})")


@hosts.command("remove")
@click.argument("host_id")
@pass_session
def hosts_remove(session: Session, host_id: str) -> None:
    """Remove a host (their drafts and history stay)."""
    session.queue.remove_host(host_id)
    click.echo(f"removed host {host_id}")


@hosts.command("password")
@click.argument("host_id")
@click.option("--remove", is_flag=True, help="Remove the password: the host cannot sign in.")
@pass_session
def hosts_password(session: Session, host_id: str, remove: bool) -> None:
    """Set a host's password for signing in to `qa-queue serve`.

    Asked twice (not shown) at a terminal; otherwise read as the first line of standard input.
    Only a salted argon2id hash is stored, in the database.
    """
    host_id = session.queue.check_host(host_id.strip().lower())
    if remove:
        found = session.queue.remove_password(host_id)
        click.echo(f"removed {host_id}'s password" if found else f"{host_id} had no password")
        return
    if sys.stdin.isatty():
        password = click.prompt(
            f"New password for {host_id}", hide_input=True, confirmation_prompt=True
        )
    else:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    session.queue.set_password(host_id, password)
    click.echo(f"set {host_id}'s password (they can sign in to `qa-queue serve`)")


@click.group(cls=HelpGroup)
def episodes() -> None:
    """The show's episodes."""


@episodes.command("list")
@pass_session
def episodes_list(session: Session) -> None:
    """List episodes with their air dates and how many questions each holds."""
    found = session.queue.episodes()
    if not found:
        click.echo("no episodes yet: add one with `qa-queue episodes add 212 --title ...`")
    for episode in found:
        click.echo(
            f"{episode.number:>5}  {episode.air_date or '(no date)':<10}  "
            f"{counted(len(episode.question_ids), 'question'):>13}  {episode.title}"
        )


@episodes.command("add")
@click.argument("number", type=int)
@click.option("--title", help="The episode's title.")
@click.option("--air-date", help="When it airs: '2026-12-08', 'next tuesday'…")
@pass_session
def episodes_add(session: Session, number: int, title: str | None, air_date: str | None) -> None:
    """Add an episode, or change its title or air date."""
    episode = session.queue.save_episode(number, title, air_date)
    click.echo(f"episode {episode.number}: {episode.title} ({episode.air_date or 'no date'})")


@click.command()
@click.argument("name", required=False)
@pass_session
def podcast(session: Session, name: str | None) -> None:
    """Show or set the podcast's name (used in show notes)."""
    if name is not None:
        session.queue.set_podcast(name)
    click.echo(session.queue.podcast() or "(no name yet)")


@click.command()
@click.argument("host_id", required=False)
@click.option("--forget", is_flag=True, help="Forget the remembered host.")
@pass_session
def whoami(session: Session, host_id: str | None, forget: bool) -> None:
    """Show which host you are, or remember one for next time."""
    if forget:
        path = config.remember_host(None)
        click.echo(f"forgot the remembered host ({path})")
        return
    if host_id:
        session.queue.check_host(host_id.lower())
        path = config.remember_host(host_id.lower())
        click.echo(f"you are {host_id.lower()} (remembered in {path})")
        return
    me = session.queue.me
    click.echo(me or "not set: use --as HOST, $QA_QUEUE_HOST or `qa-queue whoami HOST`")


@click.command()
@pass_session
def demo(session: Session) -> None:
    """Load the demo queue (the LDN thread and a dozen questions) into this database."""
    added = load_demo(session.queue)
    click.echo(f"added {added} demo questions to {session.db_path}")
