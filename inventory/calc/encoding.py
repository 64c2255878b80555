"""Integer codes for text columns, so that matching and grouping run on int64 arrays.

Every string operation of the core (prefixes of class codes, unit parsing, labels) runs on the
distinct values only, and the result is gathered back to the rows by code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "Arena",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "SourceIndex",
    "code_dtype",
    "codes_of",
    "combine_codes",
    "encode_text",
    "factorize_first",
    "factorize_ints",
    "first_index",
    "first_rows",
    "lookup_codes",
    "tuple_codes",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def code_dtype(n_categories: int) -> Any:
    """The integer type pandas keeps categorical codes in (so that no copy is made)."""
    if n_categories < np.iinfo(np.int8).max:
        return np.int8
    if n_categories < np.iinfo(np.int16).max:
        return np.int16
    return np.int32


def codes_of(column: Any) -> tuple[IntArray, list[str]]:
    """Codes (int64, -1 for a missing or blank value) and the distinct values of a text column.

    A pandas categorical is used as it is (no hashing of strings); anything else is factorised.
    """
    if isinstance(getattr(column, "dtype", None), pd.CategoricalDtype):
        series = pd.Series(column) if not isinstance(column, pd.Series) else column
        codes = series.cat.codes.to_numpy(dtype=np.int64)
        values = [str(value) for value in series.cat.categories]
    else:
        raw_codes, uniques = _factorize(column)
        codes = np.asarray(raw_codes, dtype=np.int64)
        values = [str(value) for value in uniques]
    blank = [i for i, value in enumerate(values) if not value.strip()]
    if blank:  # an empty string is a missing value, not a category
        remap = np.arange(len(values), dtype=np.int64)
        remap[blank] = -1
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return codes, values


def _factorize(column: Any) -> tuple[Any, Any]:
    """pandas factorize of a text column as an object array (for a pandas string column that
    is about twice as fast as factorising the Series, and the codes are the same)."""
    codes, uniques = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=True)
    return codes, uniques


def encode_text(frame: Any, columns: list[str]) -> Any:
    """``frame`` with the text ``columns`` as pandas categoricals (codes in order of first
    appearance), so that every later :func:`codes_of` of them costs nothing.

    Columns that are categorical already are kept as they are. Returns a new frame (the
    other columns are shared, not copied).
    """
    out = {}
    for name in frame.columns:
        column = frame[name]
        if name in columns and not isinstance(column.dtype, pd.CategoricalDtype):
            raw, uniques = _factorize(column)
            column = pd.Series(
                pd.Categorical.from_codes(
                    np.asarray(raw, dtype=np.int64),
                    categories=pd.Index(uniques, dtype=object),
                    validate=False,
                ),
                index=frame.index,
                name=name,
            )
        out[name] = column
    return pd.DataFrame(out, index=frame.index, copy=False)


def lookup_codes(values: Any, vocabulary: list[str]) -> IntArray:
    """Position of each value in ``vocabulary`` (-1 when missing or blank, -2 when not in it).

    Works on the distinct values only, so a long column costs one hash pass.
    """
    index = {value: position for position, value in enumerate(vocabulary)}
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        # a categorical is looked up by its categories, then gathered by code
        categorical = values.array if isinstance(values, pd.Series) else values
        raw = np.asarray(categorical.codes, dtype=np.int64)
        uniques = categorical.categories
    else:
        raw, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    per_unique = np.asarray([_position(value, index) for value in uniques] + [-1], dtype=np.int64)
    return per_unique[np.where(raw >= 0, raw, len(uniques))]


def _position(value: Any, index: dict[str, int]) -> int:
    text = str(value).strip()
    if not text:
        return -1
    return index.get(text, index.get(str(value), -2))


def combine_codes(columns: list[IntArray], radices: list[int]) -> IntArray | None:
    """One int64 key from several non-negative code columns (mixed radix).

    Returns None when the key space would not fit in int64; callers then fall back to
    factorising the tuples.
    """
    if not columns:
        raise ValueError("combine_codes needs at least one column")
    space = 1
    for radix in radices:
        space *= max(radix, 1)
    if space >= 2**62:
        return None
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, radix in zip(columns, radices, strict=True):
        key = key * max(radix, 1) + column
    return key


def first_index(codes: IntArray, n_groups: int) -> IntArray:
    """Index of the first row of each group (codes in 0..n_groups-1; -1 when a group is empty)."""
    first = np.full(n_groups, -1, dtype=np.int64)
    order = np.arange(len(codes), dtype=np.int64)
    # Reversed assignment: the last write per code is the earliest row.
    first[codes[::-1]] = order[::-1]
    return first


def tuple_codes(columns: list[IntArray]) -> tuple[IntArray, int]:
    """Group codes (0..n-1, in order of first appearance) of the rows' code tuples."""
    radices = [int(column.max()) + 2 if len(column) else 1 for column in columns]
    space = 1
    for radix in radices:
        space *= radix
    if space < 2**62:
        # combine_codes of the columns shifted by one (-1, missing, becomes 0), in place
        key = np.zeros(len(columns[0]), dtype=np.int64)
        for column, radix in zip(columns, radices, strict=True):
            key *= radix
            key += column
            key += 1
        return factorize_ints(key, space)
    shifted = [column + 1 for column in columns]  # -1 (missing) becomes 0
    frame = pd.DataFrame({str(i): column for i, column in enumerate(shifted)})
    groups = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy(np.int64)
    return groups, int(groups.max()) + 1 if len(groups) else 0


# A dense table (one int64 per possible key) is used when the key space is at most this many
# times the number of keys (or below _DENSE_MIN): then it is faster than a hash table.
_DENSE_RATIO, _DENSE_MIN = 2, 1 << 16


def factorize_ints(key: IntArray, space: int) -> tuple[IntArray, int]:
    """Codes (0..n-1, in order of first appearance, as ``pd.factorize`` gives them) of
    non-negative integer keys below ``space``, and the number of distinct keys.

    When the key space is small a dense table replaces pandas' hash table: the first row of
    each key is found by a reversed scatter, and the first rows, in row order, are numbered.
    """
    codes, first = factorize_first(key, space)
    return codes, len(first)


def factorize_first(key: IntArray, space: int, compact: bool = False) -> tuple[IntArray, IntArray]:
    """:func:`factorize_ints` codes, and the first row of each code (``first_index``).

    ``compact``: the codes in the small integer type of pandas categorical codes
    (:func:`code_dtype`) instead of int64, when the dense table is used."""
    n = len(key)
    if space > max(_DENSE_RATIO * n, _DENSE_MIN):
        raw, uniques = pd.factorize(key)
        codes = np.asarray(raw, dtype=np.int64)
        return codes, first_index(codes, len(uniques))
    first = first_rows(key, space)
    table = np.empty(space, dtype=code_dtype(len(first)) if compact else np.int64)
    table[key.take(first)] = np.arange(len(first), dtype=table.dtype)
    return table.take(key), first


def first_rows(key: IntArray, space: int) -> IntArray:
    """Rows of the first appearance of each distinct non-negative integer key below
    ``space``, in row order (the ``first`` of :func:`factorize_first`)."""
    n = len(key)
    if space > max(_DENSE_RATIO * n, _DENSE_MIN):
        return factorize_first(key, space)[1]
    table = np.empty(space, dtype=np.int64)  # only the entries of present keys are read
    if space * 8 <= n:
        # few distinct keys: the first rows of the keys present, sorted (no pass over the
        # rows but the two scatters)
        table[key[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
        present = np.zeros(space, dtype=bool)
        present[key] = True
        few: IntArray = np.sort(table[present])
        return few
    order = np.arange(n, dtype=np.int64)
    table[key[::-1]] = order[::-1]  # the last write per key is its first row
    first: IntArray = np.flatnonzero(table.take(key) == order)
    return first


class Arena:
    """Arrays of ``size`` elements carved out of one buffer reserved for the ``dtypes``
    announced (one each), for outputs and temporaries written with ``out=``.

    One large allocation is mapped with huge pages where numpy asks for them (>= 4 MiB),
    where an array of its own below that size (a 1-byte column of 10^6 rows, an int64 array
    of 10^5 rows) is mapped and faulted in 4 KiB page by page; a fresh mapping is what a
    call that allocates its arrays anew pays. An array beyond the reservation gets its own.
    """

    _ALIGN = 64

    def __init__(self, size: int, dtypes: list[Any]) -> None:
        self.size = size
        self._offset = 0
        self._buffer = np.empty(sum(self._span(dtype) for dtype in dtypes), dtype=np.uint8)

    def _span(self, dtype: Any) -> int:
        size = self.size * int(np.dtype(dtype).itemsize)
        return -(-size // self._ALIGN) * self._ALIGN

    def empty(self, dtype: Any) -> Any:
        """An unset array of ``dtype``, from the reserved buffer while it lasts."""
        span = self._span(dtype)
        if self._offset + span > len(self._buffer):
            return np.empty(self.size, dtype=dtype)
        start, self._offset = self._offset, self._offset + span
        array = self._buffer[start : start + self.size * int(np.dtype(dtype).itemsize)]
        return array.view(dtype)


class SourceIndex:
    """The distinct source ids (in order of first appearance) and the position of an id
    among them: ``pd.Index.get_indexer`` on int64 ids, by a dense table when the ids are
    non-negative and not much larger than their count (the usual case), else by pandas."""

    def __init__(self, ids: IntArray) -> None:
        self._dense: IntArray | None = None
        self._index: Any = None
        low = int(ids.min()) if len(ids) else 0
        high = int(ids.max()) + 1 if len(ids) else 0
        if low >= 0 and high <= max(_DENSE_RATIO * len(ids), _DENSE_MIN):
            first = first_rows(ids, high)
            self.ids: IntArray = ids.take(first)  # first rows in row order: first appearance
            self._dense = np.full(high + 1, -1, dtype=np.int64)  # last entry: out of range
            self._dense[self.ids] = np.arange(len(first), dtype=np.int64)
        else:
            self.ids = np.asarray(pd.unique(ids), dtype=np.int64)
            self._index = pd.Index(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, positions: Any) -> Any:
        return self.ids[positions]

    def get_indexer(self, values: Any) -> IntArray:
        """Position of each id (-1 when it is not one of these)."""
        values = np.asarray(values, dtype=np.int64)
        if self._dense is None:
            return np.asarray(self._index.get_indexer(values), dtype=np.int64)
        high = len(self._dense) - 1
        inside = (values >= 0) & (values < high)
        positions: IntArray = self._dense.take(
            values if inside.all() else np.where(inside, values, high)
        )
        return positions
