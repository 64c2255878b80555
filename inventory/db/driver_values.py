"""Columns of a frame as the plain Python values a DB-API driver binds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["python_values"]


def python_values(values: pd.Series) -> list[Any]:
    """A column as a list of plain Python values (int, float, bool, str, ...), None for missing.

    Each dtype takes its cheapest path: categoricals look their codes up in the categories
    (one Python object per category, not per row); float64, int64 and bool go through
    ``ndarray.tolist`` (NaN replaced by None at the missing positions only); a nullable
    integer column without missing values as int64; anything else as objects with None for
    NaN, NaT and NA.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = values.cat.categories.to_numpy(dtype=object, na_value=None)
        lookup = np.empty(len(categories) + 1, dtype=object)  # code -1 (missing) -> None
        lookup[:-1] = categories
        looked_up: list[Any] = lookup[values.cat.codes.to_numpy()].tolist()
        return looked_up
    if dtype == np.float64:
        array = values.to_numpy()
        out: list[Any] = array.tolist()
        for index in np.flatnonzero(np.isnan(array)).tolist():
            out[index] = None
        return out
    if dtype == np.int64 or dtype == np.bool_:
        plain: list[Any] = values.to_numpy().tolist()
        return plain
    if pd.api.types.is_integer_dtype(dtype) and not values.hasnans:
        integers: list[Any] = values.astype("int64").tolist()
        return integers
    objects: list[Any] = values.to_numpy(dtype=object, na_value=None).tolist()
    return objects
