"""The one exception hierarchy of the package.

Every error a user can cause derives from :class:`InventoryError`. Subclasses carry the facts as
fields and build their sentence in ``__str__``; ``hint`` says what to do about it. The CLI turns
any of them into one sentence plus the hint and a non-zero exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BackupError",
    "CalcInputError",
    "ConfigError",
    "DatabaseError",
    "DatabaseNotInitialised",
    "DatabaseOutOfDate",
    "FactorDataError",
    "ImportRejected",
    "InputFileError",
    "InventoryError",
    "NotFound",
    "RestoreTargetNotEmpty",
    "ScenarioError",
    "ScenarioFileError",
    "UnitError",
    "UnitMismatch",
    "UnknownUnit",
    "WorkbookRefused",
]


class InventoryError(Exception):
    """Base of every error the package raises on purpose."""

    exit_code: int = 1

    @property
    def hint(self) -> str:
        """What the user can do about it (one sentence, may be empty)."""
        return ""


@dataclass(eq=False)
class ConfigError(InventoryError, ValueError):
    """A setting or option is missing or malformed."""

    message: str
    suggestion: str = ""

    def __str__(self) -> str:
        return self.message

    @property
    def hint(self) -> str:
        return self.suggestion


@dataclass(eq=False)
class NotFound(InventoryError, LookupError):
    """A named thing (run, source, batch, factor set...) does not exist."""

    what: str
    key: Any
    suggestion: str = ""

    def __str__(self) -> str:
        return f"No {self.what} {self.key!r} exists."

    @property
    def hint(self) -> str:
        return self.suggestion


class DatabaseError(InventoryError):
    """The store cannot be used as it is."""


@dataclass(eq=False)
class DatabaseNotInitialised(DatabaseError):
    """The database has no inventory schema (or does not exist)."""

    url: str

    def __str__(self) -> str:
        return f"The database {self.url} has not been initialised."

    @property
    def hint(self) -> str:
        return "Run `inventory init` (with the same --db) to create it."


@dataclass(eq=False)
class DatabaseOutOfDate(DatabaseError):
    """The database schema is older (or newer) than this version of the package."""

    url: str
    current: str | None
    head: str

    def __str__(self) -> str:
        return (
            f"The database {self.url} is at schema revision {self.current}, "
            f"but this version of the package needs {self.head}."
        )

    @property
    def hint(self) -> str:
        return "Run `inventory init` to upgrade it (make a backup with `inventory dump` first)."


class UnitError(InventoryError, ValueError):
    """A unit string or a unit combination is wrong."""


@dataclass(eq=False)
class UnknownUnit(UnitError):
    """A unit string that the registry cannot parse."""

    text: str
    suggestion: str = ""

    def __str__(self) -> str:
        return f"{self.text!r} is not a unit this tool knows."

    @property
    def hint(self) -> str:
        return self.suggestion or "Use a unit like 吨, 万吨, t, m3, 万立方米, kWh or km."


@dataclass(eq=False)
class UnitMismatch(UnitError):
    """Two quantities whose dimensions cannot be combined (e.g. kg/t applied to m3)."""

    what: str
    left_unit: str
    right_unit: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.what}: {self.left_unit!r} does not fit {self.right_unit!r}"
        return f"{text} ({self.detail})." if self.detail else f"{text}."

    @property
    def hint(self) -> str:
        return "Check that the activity unit and the factor's denominator measure the same thing."


@dataclass(eq=False)
class InputFileError(InventoryError, ValueError):
    """A file cannot be read at all (wrong type, corrupt, protected, too large...)."""

    path: str
    problem: str
    suggestion: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"

    @property
    def hint(self) -> str:
        return self.suggestion


@dataclass(eq=False)
class ImportRejected(InventoryError):
    """A workbook had cell-level problems; nothing was written.

    ``problems`` is a DataFrame with one row per problem (workbook, sheet, row, column, header,
    value, rule, message, hint).
    """

    path: str
    problems: Any = field(repr=False)

    def __str__(self) -> str:
        n = len(self.problems)
        return f"{self.path}: {n} problem{'s' if n != 1 else ''} found; nothing was loaded."

    @property
    def hint(self) -> str:
        return "Write them all to a file with --errors OUT.xlsx, fix the cells and load again."


@dataclass(eq=False)
class FactorDataError(InventoryError, ValueError):
    """A factor table (shipped or local) breaks a rule."""

    table: str
    problem: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.table}" + (f" row {self.row}" if self.row is not None else "")
        return f"{where}: {self.problem}"

    @property
    def hint(self) -> str:
        return "Run `inventory factors check` for the full list of problems."


@dataclass(eq=False)
class ScenarioFileError(InventoryError, ValueError):
    """A scenario YAML file breaks the format; ``problems`` lists every problem found."""

    path: str
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        n = len(self.problems)
        listed = "; ".join(self.problems[:5]) + ("; ..." if n > 5 else "")
        return f"{self.path}: {n} problem{'s' if n != 1 else ''} in the scenario file: {listed}"

    @property
    def hint(self) -> str:
        return "See docs/scenarios.md for every field, selector and action."


@dataclass(eq=False)
class ScenarioError(InventoryError, ValueError):
    """A measure cannot be applied to the inventory it was given."""

    measure: str
    problem: str
    suggestion: str = ""

    def __str__(self) -> str:
        return f"Measure {self.measure!r}: {self.problem}"

    @property
    def hint(self) -> str:
        return self.suggestion


@dataclass(eq=False)
class CalcInputError(InventoryError, ValueError):
    """A frame handed to the calculation core breaks its contract (a missing column...)."""

    table: str
    problem: str

    def __str__(self) -> str:
        return f"The {self.table} table given to the calculation: {self.problem}."

    @property
    def hint(self) -> str:
        return "See docs/methods.md for the columns of each input table."


@dataclass(eq=False)
class BackupError(InventoryError, ValueError):
    """A dump folder cannot be written or restored (missing manifest, bad checksum, ...)."""

    path: str
    problem: str
    suggestion: str = ""

    def __str__(self) -> str:
        return f"{self.path} {self.problem}"

    @property
    def hint(self) -> str:
        return self.suggestion


@dataclass(eq=False)
class RestoreTargetNotEmpty(InventoryError):
    """A restore was pointed at a database that already holds data; nothing was written."""

    url: str
    rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        held = ", ".join(f"{name}: {n} rows" for name, n in list(self.rows.items())[:6])
        more = f" and {len(self.rows) - 6} more tables" if len(self.rows) > 6 else ""
        return f"The database {self.url} is not empty ({held}{more}); nothing was restored."

    @property
    def hint(self) -> str:
        return (
            "Restore into a new, empty database (a new SQLite file, or `createdb` on the server), "
            "then run `inventory init` to upgrade it."
        )


@dataclass(eq=False)
class WorkbookRefused(InputFileError):
    """A survey workbook refused before reading (macros, password, corrupt, too large...).

    ``rule`` is the stable rule code of the import (factors/layouts/rules.csv).
    """

    rule: str = "file.not_spreadsheet"
