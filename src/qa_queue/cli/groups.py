"""A group of commands that, run with none, prints its help instead of a usage error."""

from __future__ import annotations

import click


class HelpGroup(click.Group):
    """`qa-queue hosts` alone prints what `qa-queue hosts --help` prints, and exits 0: a
    person exploring the commands gets the list, not a one-line complaint."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)
