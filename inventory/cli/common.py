"""What every command shares: the app state, the --db and --format options, error handling."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

from inventory.errors import InventoryError

if TYPE_CHECKING:  # pandas and SQLAlchemy load only when a command needs them
    import pandas as pd
    from sqlalchemy import Engine

__all__ = [
    "AppState",
    "InventoryGroup",
    "db_option",
    "emit_frame",
    "format_option",
    "get_state",
]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppState:
    """Options given before the command name, plus the engine once opened."""

    db: str | None = None
    debug: bool = False
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        from inventory.config import resolve_db_url

        return resolve_db_url(self.db)

    def engine(self) -> Engine:
        """The engine of a database that exists and is at the newest schema."""
        if self._engine is None:
            from inventory.db.migrate import open_checked

            self._engine = open_checked(self.url)
        return self._engine


def get_state() -> AppState:
    """The AppState of the running command."""
    ctx = click.get_current_context()
    state = ctx.find_object(AppState)
    if state is None:  # a command invoked on its own (tests, other tools)
        state = AppState()
        ctx.obj = state
    return state


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value:
        state = ctx.find_object(AppState)
        if state is None:
            state = AppState()
            ctx.obj = state
        state.db = value
    return value


def db_option(func: F) -> F:
    """Add ``--db URL`` to a command (the same option as before the command name)."""
    return click.option(
        "--db",
        "_db",
        default=None,
        metavar="URL",
        expose_value=False,
        callback=_set_db,
        is_eager=True,
        help="Database URL (else $INVENTORY_DB, else sqlite:///inventory.db).",
    )(func)


def format_option(func: F) -> F:
    """Add ``--format table|csv|json``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def emit_frame(frame: pd.DataFrame, fmt: str, title: str | None = None) -> None:
    """Print a frame as a rich table, CSV (formula-safe text) or JSON records on standard output."""
    if fmt == "csv":
        from inventory.export_safety import frame_to_csv

        # user-typed text starting with = + - @ would run as a formula in Excel: guard it
        click.echo(frame_to_csv(frame), nl=False)
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        import pandas as pd
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for column in frame.columns:
            numeric = pd.api.types.is_numeric_dtype(frame[column])
            table.add_column(str(column), justify="right" if numeric else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*(_cell(v) for v in row))
        Console(soft_wrap=False, width=max(120, Console().width)).print(table)


def _cell(value: Any) -> str:
    import pandas as pd

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.1f}"
    return str(value)


class InventoryGroup(click.Group):
    """A click group that turns errors into one sentence and a hint, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except InventoryError as exc:
            self._fail(ctx, str(exc), exc.hint, exc, exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing half-written was kept.", err=True)
            sys.exit(130)
        except Exception as exc:
            self._fail_database_or_bug(ctx, exc)

    def _fail_database_or_bug(self, ctx: click.Context, exc: Exception) -> None:
        # sqlalchemy loads only once something failed, so that --help never pays for it
        from sqlalchemy.exc import OperationalError, SQLAlchemyError

        from inventory.config import redact_url, resolve_db_url

        if isinstance(exc, OperationalError):
            url = redact_url(resolve_db_url(_debug_state(ctx).db))
            self._fail(
                ctx,
                f"The database {url} could not be used: {str(exc.orig).strip().splitlines()[0]}",
                "Check the --db URL, that the server is running and that you may write to it.",
                exc,
                3,
            )
        elif isinstance(exc, SQLAlchemyError):
            self._fail(
                ctx,
                f"Database error: {str(exc).splitlines()[0]}",
                "Run with --debug for details.",
                exc,
                3,
            )
        else:  # a bug: say so plainly, keep the traceback behind --debug
            self._fail(
                ctx,
                f"Unexpected error ({type(exc).__name__}): {exc}",
                "This is a bug in inventory; run again with --debug and report the traceback.",
                exc,
                2,
            )

    @staticmethod
    def _fail(ctx: click.Context, message: str, hint: str, exc: BaseException, code: int) -> None:
        if _debug_state(ctx).debug:
            raise exc
        click.secho(f"Error: {message}", fg="red", err=True)
        if hint:
            click.echo(f"Hint: {hint}", err=True)
        ctx.exit(code)


def _debug_state(ctx: click.Context) -> AppState:
    state = ctx.find_object(AppState)
    return state if state is not None else AppState()
