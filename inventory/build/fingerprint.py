"""A fingerprint of every input of a build: the same inputs give the same hex digest."""

from __future__ import annotations

import hashlib

import pandas as pd

__all__ = ["fingerprint_frames"]


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in name order; numbers as float64 (so int/float accidents do not matter),
    everything else as objects with None for missing."""
    ordered = frame[sorted(frame.columns)]
    out = {}
    for column in ordered.columns:
        values = ordered[column]
        if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
            out[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        else:
            objects = values.astype(object)
            out[column] = objects.where(objects.notna(), None)
    return pd.DataFrame(out, index=ordered.index)


def fingerprint_frames(parts: dict[str, object]) -> str:
    """SHA-256 over named values and frames (rows in their given order, columns by name)."""
    digest = hashlib.sha256()
    for name in sorted(parts):
        value = parts[name]
        digest.update(f"\x00{name}\x00".encode())
        if isinstance(value, pd.DataFrame):
            canonical = _canonical(value)
            digest.update("\x1f".join(canonical.columns).encode())
            hashed = pd.util.hash_pandas_object(canonical, index=False, categorize=True)
            digest.update(hashed.to_numpy().tobytes())
            digest.update(str(len(canonical)).encode())
        else:
            digest.update(repr(value).encode())
    return digest.hexdigest()
