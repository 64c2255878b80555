"""Row builders for tests of the calculation core: one factor or activity row as a dict in the
columns of the calculation contract (``docs/methods.md``)."""

from __future__ import annotations

from typing import Any


def factor(
    factor_id: int, class_code: str, pollutant: str | None, value: float, unit: str, **fields: Any
) -> dict[str, Any]:
    """An uncontrolled factor row whose source is ``doc <factor_id>``; ``fields`` override."""
    return {
        "factor_id": factor_id,
        "class_code": class_code,
        "pollutant": pollutant,
        "value": value,
        "unit": unit,
        "basis": "uncontrolled",
        "source": f"doc {factor_id}",
        **fields,
    }


def activity(activity_id: int, class_code: str, activity_type: str, quantity: float, unit: str,
             *, kind: str = "point", **fields: Any) -> dict[str, Any]:  # fmt: skip
    """One activity row (its own source unless ``source_id`` is given)."""
    return {
        "activity_id": activity_id,
        "source_id": fields.pop("source_id", activity_id),
        "kind": kind,
        "class_code": class_code,
        "activity_type": activity_type,
        "quantity": quantity,
        "unit": unit,
        **fields,
    }
