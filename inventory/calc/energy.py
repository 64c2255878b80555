"""Energy of fuels counted by mass or volume, for factors per unit of energy (``g/GJ``).

energy (GJ) = quantity x NCV x [GJ per (activity unit x NCV unit)]

The net calorific value is the activity's own ``ncv_mj`` (MJ/kg when the fuel is counted by
mass, MJ/m3 when by volume) or, when that is empty, the ``ncv`` parameter of the factor library
that applies to the activity (class code, fuel...; its unit converted to MJ/kg or MJ/m3). A
parameter of the other kind (MJ/kg for a fuel in m3) does not apply. Without either, the
(activity, pollutant) cell is a gap with reason ``no_ncv``: a per-GJ factor with no energy is
not an error but a missing input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from inventory.calc.conversion import NCV_UNITS, FactorScale
from inventory.calc.encoding import BoolArray, FloatArray, IntArray, tuple_codes
from inventory.calc.parameters import MatchedParameters

__all__ = ["EnergyActivity", "energy_activity"]


@dataclass(frozen=True)
class EnergyActivity:
    """Per activity row and pollutant: the energy a per-GJ factor multiplies."""

    gj: FloatArray
    """(activities, pollutants): energy in GJ on energy-basis cells, NaN elsewhere."""
    cells: BoolArray
    """(activities, pollutants): the matched factor is per unit of energy."""
    lacking_ncv: BoolArray
    """(activities, pollutants): energy-basis cells without any NCV (gap ``no_ncv``)."""
    label_codes: IntArray
    """(activities,): code in ``labels`` of the NCV provenance when the library's NCV was used
    (-1: the activity's own ``ncv_mj`` or no energy-basis factor)."""
    labels: list[str]

    @property
    def any(self) -> bool:
        """Whether any cell is energy-based."""
        return bool(self.cells.any())


def energy_activity(
    activities: Any,
    effective_value: FloatArray,
    profile_of: IntArray,
    scale: FactorScale,
    parameters: MatchedParameters,
    factors: Any,
) -> EnergyActivity:
    """Energy (GJ) of every activity row on the cells whose factor is per unit of energy.

    ``effective_value`` is the activity in its own unit, ``profile_of`` the profile of each row,
    ``scale`` the converted factors and ``parameters`` the matched ``ncv`` parameter per profile.
    """
    cells = np.take(scale.energy_cells, profile_of, axis=0)
    n = len(profile_of)
    if not cells.any():
        # never read when no cell is energy-based: a read-only view, nothing written
        empty = np.broadcast_to(np.float64(np.nan), cells.shape)
        none = np.full(n, -1, dtype=np.int64)
        return EnergyActivity(empty, cells, np.zeros(cells.shape, dtype=bool), none, [])
    own = activities["ncv_mj"].to_numpy(dtype=np.float64)
    needed = scale.ncv_unit  # per profile: 0 MJ/kg, 1 MJ/m3, -1 none
    library = np.where(
        (parameters.unit_index("ncv") == needed) & (needed >= 0),
        parameters.value("ncv"),
        np.nan,
    )
    from_library = np.isnan(own) & ~np.isnan(library[profile_of])
    ncv = np.where(np.isnan(own), library[profile_of], own)
    per_row = effective_value * ncv
    gj = np.where(cells, per_row[:, None] * np.take(scale.gj_per_ncv, profile_of, axis=0), np.nan)
    lacking: BoolArray = cells & np.isnan(ncv)[:, None] & ~np.isnan(effective_value)[:, None]
    label_codes, labels = _labels(from_library, profile_of, parameters, factors, needed)
    return EnergyActivity(gj, cells, lacking, label_codes, labels)


def _labels(
    from_library: BoolArray,
    profile_of: IntArray,
    parameters: MatchedParameters,
    factors: Any,
    needed: IntArray,
) -> tuple[IntArray, list[str]]:
    """Provenance of the library NCV used by each row, built once per distinct parameter row."""
    codes = np.full(len(profile_of), -1, dtype=np.int64)
    labels: list[str] = []
    rows = np.flatnonzero(from_library)
    if not len(rows):
        return codes, labels
    parameter_row = parameters.row("ncv")[profile_of[rows]]
    unit = needed[profile_of[rows]]
    group, n_groups = tuple_codes([parameter_row, unit])
    first = np.full(n_groups, -1, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group))[::-1]
    values = parameters.value("ncv")
    for index in first:
        profile = int(profile_of[rows[index]])
        row = int(parameter_row[index])
        labels.append(
            f"ncv {values[profile]:g} {NCV_UNITS[int(unit[index])]} ({factors['source'].iat[row]})"
        )
    codes[rows] = group
    return codes, labels
