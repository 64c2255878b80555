"""PNG charts of a run (matplotlib, Agg backend): emissions by sector and by county."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from inventory.report.tables import report_tables

__all__ = ["plot_run"]


def _bar(frame: pd.DataFrame, labels: str, pollutant: str, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 4.8), dpi=110)
    try:
        names = frame[labels].fillna(frame.iloc[:, 0]).astype(str)
        axes.bar(names, frame[pollutant], color="#4472C4")
        axes.set_title(title)
        axes.set_ylabel("t/yr")
        axes.tick_params(axis="x", labelrotation=35)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)


def plot_run(
    engine: Engine,
    run_id: int,
    directory: str | Path,
    pollutants: tuple[str, ...] = ("NOx", "VOCs"),
) -> list[Path]:
    """Write ``<pollutant>_by_sector.png`` and ``<pollutant>_by_county.png`` for each pollutant
    present in run ``run_id`` into ``directory`` (created if needed); returns the files.

    Labels are the English names (the default matplotlib fonts have no Chinese glyphs).
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    tables = report_tables(engine, run_id, compare=False)
    year = tables.run["year"]
    written = []
    for pollutant in pollutants:
        slug = pollutant.replace(".", "")
        for key, frame in (("sector", tables.by_sector), ("county", tables.by_county)):
            if frame.empty or pollutant not in frame.columns:
                continue
            path = out / f"{slug}_by_{key}.png"
            _bar(frame, "name_en", pollutant, f"{pollutant} by {key}, {year} (t/yr)", path)
            written.append(path)
    return written
