"""Text columns reach the core as pandas strings, objects or categoricals: same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory.calc import compute_emissions
from inventory.calc.encoding import (
    SourceIndex,
    codes_of,
    encode_text,
    factorize_first,
    factorize_ints,
    lookup_codes,
    tuple_codes,
)

TEXT = ["class_code", "activity_type", "unit", "fuel"]


def _activities(kind: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "activity_id": [1, 2, 3],
            "source_id": [10, 20, 30],
            "class_code": ["0101", "0101", "0101"],
            "activity_type": ["fuel_use", "fuel_use", "fuel_use"],
            "quantity": [100.0, 2.0, 50.0],
            "unit": ["t", "万吨", "t"],
            "fuel": ["coal", "coal", None],
        }
    )
    for column in TEXT:
        if kind == "str":
            frame[column] = frame[column].astype("str")
        elif kind == "object":
            frame[column] = frame[column].astype(object)
        else:
            frame[column] = frame[column].astype("category")
    return frame


FACTORS = pd.DataFrame(
    {
        "factor_id": [7],
        "class_code": ["0101"],
        "pollutant": ["NOx"],
        "fuel": ["coal"],
        "value": [2.0],
        "unit": ["kg/t"],
        "basis": ["uncontrolled"],
        "source": ["doc 7"],
    }
)


@pytest.mark.parametrize("kind", ["str", "object", "category"])
def test_same_numbers_whatever_the_text_dtype(kind: str) -> None:
    result = compute_emissions(_activities(kind), FACTORS, pollutants=("NOx", "SO2"))
    emissions = result.emissions.sort_values("activity_id")
    # 100 t x 2 kg/t = 0.2 t; 2 万吨 = 20 000 t x 2 kg/t = 40 t; activity 3 has no fuel: no factor
    assert emissions["activity_id"].tolist() == [1, 2]
    assert emissions["emissions_t"].tolist() == pytest.approx([0.2, 40.0], rel=1e-12)
    assert emissions["activity_unit"].astype(str).tolist() == ["t", "万吨"]
    gaps = result.gaps.sort_values(["activity_id", "pollutant"])
    # SO2 of all three, NOx of activity 3
    assert list(zip(gaps["activity_id"], gaps["pollutant"].astype(str), strict=True)) == [
        (1, "SO2"),
        (2, "SO2"),
        (3, "NOx"),
        (3, "SO2"),
    ]
    assert set(gaps["reason"].astype(str)) == {"no_factor"}


def test_encode_text_codes_in_order_of_first_appearance() -> None:
    frame = pd.DataFrame({"a": ["x", None, "y", "x", ""], "b": [1.0, 2.0, 3.0, 4.0, 5.0]})
    encoded = encode_text(frame, ["a"])
    assert isinstance(encoded["a"].dtype, pd.CategoricalDtype)
    assert encoded["b"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    codes, values = codes_of(encoded["a"])
    # a blank text is missing, like None
    assert codes.tolist() == [0, -1, 1, 0, -1]
    assert values[:2] == ["x", "y"]


def test_tuple_codes_number_the_distinct_tuples_in_order() -> None:
    first = np.array([2, -1, 2, 0, -1], dtype=np.int64)
    second = np.array([1, 1, 1, 5, 1], dtype=np.int64)
    codes, count = tuple_codes([first, second])
    assert codes.tolist() == [0, 1, 0, 2, 1]
    assert count == 3


@pytest.mark.parametrize("space", [8, 1 << 20])  # dense table, and pandas' hash table
def test_factorize_ints_numbers_keys_in_order_of_first_appearance(space: int) -> None:
    key = np.array([5, 3, 5, 7, 3, 0], dtype=np.int64)
    codes, count = factorize_ints(key, space)
    assert codes.tolist() == [0, 1, 0, 2, 1, 3]
    assert count == 4
    codes, first = factorize_first(key, space)
    assert first.tolist() == [0, 1, 3, 5]  # first row of codes 0, 1, 2, 3


def test_source_index_positions_in_order_of_first_appearance() -> None:
    dense = SourceIndex(np.array([30, 10, 30, 20], dtype=np.int64))
    assert dense.ids.tolist() == [30, 10, 20]
    assert len(dense) == 3
    # an id that is not a source (negative, between, beyond) has position -1
    assert dense.get_indexer([20, 30, 11, -4, 10**9]).tolist() == [2, 0, -1, -1, -1]
    # ids far beyond their count: the pandas hash table, same answers
    sparse = SourceIndex(np.array([10**12, 5, 10**12], dtype=np.int64))
    assert sparse.ids.tolist() == [10**12, 5]
    assert sparse.get_indexer([5, 6, 10**12]).tolist() == [1, -1, 0]


def test_lookup_codes_of_a_categorical_as_of_its_texts() -> None:
    values = ["NOx", None, "SO2", "", "CO2", "NOx"]
    vocabulary = ["SO2", "NOx"]
    # -1: missing or blank; -2: not in the vocabulary
    expected = [1, -1, 0, -1, -2, 1]
    assert lookup_codes(pd.Series(values, dtype=object), vocabulary).tolist() == expected
    assert lookup_codes(pd.Series(values, dtype="category"), vocabulary).tolist() == expected


def test_control_trains_numbered_the_same_by_digits_and_by_tuples() -> None:
    from inventory.calc.controls import _trains, _trains_by_tuples

    names = ["SCR", "低氮燃烧", "静电除尘"]
    # groups: [SCR], [低氮燃烧, SCR], [SCR], [SCR, 低氮燃烧], [静电除尘, SCR, 低氮燃烧]
    tech = np.array([0, 1, 0, 0, 0, 1, 2, 0, 1], dtype=np.int64)
    starts = np.array([0, 1, 3, 4, 6], dtype=np.int64)
    sizes = np.array([1, 2, 1, 2, 3], dtype=np.int64)
    expected = [("SCR",), ("低氮燃烧", "SCR"), ("SCR", "低氮燃烧"), ("静电除尘", "SCR", "低氮燃烧")]
    for trains_of in (_trains, _trains_by_tuples):
        train, trains = trains_of(tech, names, starts, sizes)
        assert train.tolist() == [0, 1, 0, 2, 3]  # order matters: a train is a sequence
        assert trains == expected
