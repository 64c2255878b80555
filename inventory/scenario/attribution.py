"""Which measure changed each emission row of a scenario run (``EmissionResult.measure``).

A row is changed by the measures recorded on its activity row (by ``activity_id``), on the
source's controls for that pollutant (a device without a pollutant counts for all), and on the
source's measured emission of that pollutant. Several measures are joined with ``+`` in file
order, the label reductions are grouped by.
"""

from __future__ import annotations

import pandas as pd

from inventory.scenario.inputs import MEASURE_COLUMN, ScenarioInputs

__all__ = ["measure_labels"]


def measure_labels(emissions: pd.DataFrame, inputs: ScenarioInputs, order: list[str]) -> pd.Series:
    """The measure label of every emission row (None when no measure changed it).

    ``emissions`` follows the calc contract (activity_id, source_id, pollutant); ``order`` is
    the scenario's measure ids in file order. Returns a Series aligned with ``emissions``.
    """
    rows = emissions[["activity_id", "source_id", "pollutant"]].reset_index(drop=True)
    rows["_row"] = range(len(rows))
    found = [
        _by_activity(rows, inputs.activities),
        _by_source_pollutant(rows, inputs.measured),
        _by_source_pollutant(rows, inputs.controls),
    ]
    long = pd.concat(found, ignore_index=True)
    labels = pd.Series([None] * len(rows), dtype=object)
    if long.empty:
        labels.index = emissions.index
        return labels
    # a recorded label may itself be "a+b": split into single ids, then rank by file order
    long = long.assign(measure=long["measure"].str.split("+")).explode("measure")
    rank = {measure: i for i, measure in enumerate(order)}
    long = long.drop_duplicates().assign(_rank=lambda f: f["measure"].map(rank).fillna(len(rank)))
    joined = long.sort_values(["_row", "_rank"]).groupby("_row")["measure"].agg("+".join)
    labels.loc[joined.index] = joined.to_numpy()
    labels.index = emissions.index
    return labels


def _by_activity(rows: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    tagged = activities.loc[activities[MEASURE_COLUMN].notna(), ["activity_id", MEASURE_COLUMN]]
    with_activity = rows.loc[rows["activity_id"].notna()].astype({"activity_id": "int64"})
    merged = with_activity.merge(tagged.astype({"activity_id": "int64"}), on="activity_id")
    return merged[["_row", MEASURE_COLUMN]]


def _by_source_pollutant(rows: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    tagged = frame.loc[frame[MEASURE_COLUMN].notna(), ["source_id", "pollutant", MEASURE_COLUMN]]
    if tagged.empty:
        return pd.DataFrame(columns=["_row", MEASURE_COLUMN])
    named = rows.merge(tagged.loc[tagged["pollutant"].notna()], on=["source_id", "pollutant"])
    every = rows.merge(
        tagged.loc[tagged["pollutant"].isna()].drop(columns=["pollutant"]), on="source_id"
    )
    return pd.concat(
        [named[["_row", MEASURE_COLUMN]], every[["_row", MEASURE_COLUMN]]], ignore_index=True
    )
