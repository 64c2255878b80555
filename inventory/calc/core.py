"""``compute_emissions``: activity, factors, controls and measurements in; emissions and gaps out.

Steps (each in its own module):
1. effective activity by activity type (:mod:`.activity`);
2. distinct match profiles of the activities (:mod:`.profiles`);
3. one emission factor per profile and pollutant, and the method parameters (:mod:`.matching`,
   :mod:`.parameters`), converted to t per activity unit once per unit pair
   (:mod:`.conversion`); per-GJ factors on fuel masses or volumes take the energy from the
   net calorific value (:mod:`.energy`);
4. mass balance where the activity gives a composition (:mod:`.methods`);
5. effective control efficiency per source and pollutant (:mod:`.controls`);
6. the method per activity and pollutant: measured > mass balance > emission factor, and the
   rows (:mod:`.results`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from inventory import POLLUTANTS
from inventory.calc.activity import effective_activity, rows_of_type, with_machine_defaults
from inventory.calc.controls import source_controls
from inventory.calc.conversion import factor_tonnes
from inventory.calc.encoding import SourceIndex, encode_text, lookup_codes
from inventory.calc.energy import energy_activity
from inventory.calc.matching import MatchContext, match_factors
from inventory.calc.measured import measured_emissions
from inventory.calc.methods import mass_balance, straw_burned
from inventory.calc.parameters import match_parameters
from inventory.calc.profiles import build_profiles
from inventory.calc.results import CalcResult, Estimates, assemble
from inventory.calc.schema import (
    ACTIVITY_COLUMNS,
    ACTIVITY_CROP_OUTPUT,
    BASIS_CONTROLLED,
    BASIS_PARAMETER,
    CONTROL_COLUMNS,
    EFFICIENCY_COLUMNS,
    FACTOR_COLUMNS,
    MATCH_SELECTORS,
    MEASURED_COLUMNS,
    prepare,
)

__all__ = ["ENCODED_ACTIVITY_COLUMNS", "ENCODED_CONTROL_COLUMNS", "compute_emissions"]

ENCODED_ACTIVITY_COLUMNS = ("class_code", "unit", "size_unit", *MATCH_SELECTORS)
"""The activities' text columns the core reads by code: a reader that hands them as pandas
categoricals (``encode_text``) spares the core hashing them (it hashes any other dtype)."""
ENCODED_CONTROL_COLUMNS = ("technology", "pollutant")
"""The same for the controls' text columns."""


def compute_emissions(
    activities: Any,
    factors: Any,
    efficiencies: Any = None,
    controls: Any = None,
    measured: Any = None,
    pollutants: tuple[str, ...] | list[str] = POLLUTANTS,
) -> CalcResult:
    """Annual emissions (t/yr) of every activity and measured source, for each pollutant.

    Frames follow the contract in ``docs/methods.md``; ``None`` stands for an empty
    efficiencies, controls or measured table. Returns a :class:`CalcResult` whose
    ``emissions`` has one row per (activity, pollutant) estimated by mass balance or emission
    factor plus one per (measured source, pollutant), and whose ``gaps`` lists every
    (activity, pollutant) that could not be estimated, with a reason code.

    Raises :class:`~inventory.errors.UnitMismatch` when a factor's denominator does not fit
    the activity's unit, and :class:`~inventory.errors.CalcInputError` for malformed frames.
    """
    pollutants = tuple(pollutants)
    activities = prepare(activities, ACTIVITY_COLUMNS, "activities")
    factors = prepare(factors, FACTOR_COLUMNS, "factors")
    efficiencies = prepare(efficiencies, EFFICIENCY_COLUMNS, "efficiencies")
    controls = prepare(controls, CONTROL_COLUMNS, "controls")
    measured = prepare(measured, MEASURED_COLUMNS, "measured")
    # Every text column the core reads from the activities is hashed once, here.
    activities = encode_text(activities, list(ENCODED_ACTIVITY_COLUMNS))

    context = MatchContext(
        activities["activity_id"].to_numpy(np.int64), activities["source_id"].to_numpy(np.int64)
    )
    effective = effective_activity(activities)
    profiles = build_profiles(activities, effective)

    basis = factors["basis"].astype(object).where(factors["basis"].notna(), "")
    basis = basis.astype(str).str.strip().to_numpy(dtype=object)
    targets = lookup_codes(factors["pollutant"].astype(object), list(pollutants))
    targets = np.where(basis == BASIS_PARAMETER, -1, targets)
    best = match_factors(profiles, factors, targets, len(pollutants), context)
    parameters = match_parameters(factors, profiles, context)
    density = parameters.value("density")  # t/m3 per profile, for mass <-> volume (.density)
    scale = factor_tonnes(best, profiles, effective.units, factors, pollutants, context, density)

    effective = with_machine_defaults(
        effective,
        activities,
        hours_default=parameters.value("annual_hours")[profiles.of_activity],
        load_default=parameters.value("load_factor")[profiles.of_activity],
    )
    crop_rows = rows_of_type(effective.type_codes, effective.types, ACTIVITY_CROP_OUTPUT)
    activity_value, lacking_straw = straw_burned(
        effective.value, crop_rows, profiles.of_activity, parameters
    )
    balance = mass_balance(activities, profiles.of_activity, parameters, factors, pollutants)
    energy = energy_activity(
        activities, activity_value, profiles.of_activity, scale, parameters, factors
    )

    sources = SourceIndex(
        np.concatenate([context.source_ids, measured["source_id"].to_numpy(np.int64)])
    )
    estimates = Estimates(
        activities=activities,
        factors=factors,
        pollutants=pollutants,
        context=context,
        effective=effective,
        activity_value=activity_value,
        lacking_straw=lacking_straw,
        profiles=profiles,
        best=best,
        per_unit=scale.per_unit,
        energy=energy,
        controlled_basis=(basis == BASIS_CONTROLLED),
        balance=balance,
        source_of=sources.get_indexer(context.source_ids),
        sources=sources,
        controls=source_controls(controls, efficiencies, sources, pollutants),
        measured=measured_emissions(measured, sources, pollutants),
    )
    return assemble(estimates)
