"""Stored claims as one flat table for analysts: a pandas DataFrame or an Arrow table, one row per claim in
the CSV export's columns (`export.claim_row`), lists kept as lists. pandas and pyarrow are optional extras,
imported only here and only when asked for, so the core never needs them.

    >>> import claimx
    >>> with claimx.open_store("claimx.db", create=False) as store:
    ...     frame = store.to_pandas(grounded_only=True)
    ...     table = store.to_arrow(stance="denied")
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from claimx.store.export import CSV_COLUMNS, claim_row, parquet_schema
from claimx.store.formats import ExportError
from claimx.store.queries import StoredClaim

if TYPE_CHECKING:
    import pandas
    import pyarrow

# Nullable integer columns: pandas would otherwise turn a column with one missing offset into floats.
NULLABLE_INTEGERS = ("quote_start", "quote_end")


def _extra(module: str, extra: str, what: str) -> ModuleType:
    """An optional package, or an `ExportError` that names the claimx extra installing it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExportError(
            f"{what} needs {module}, an optional extra: pip install 'claimx[{extra}]' (or pip install {module})"
        ) from None


def to_pandas(items: Iterable[StoredClaim]) -> pandas.DataFrame:
    """The claims as a DataFrame with the CSV columns, in their order; missing offsets are <NA>."""
    pd = _extra("pandas", "pandas", "to_pandas()")
    frame = pd.DataFrame([claim_row(item) for item in items], columns=list(CSV_COLUMNS))
    return frame.astype(dict.fromkeys(NULLABLE_INTEGERS, "Int64"))


def to_arrow(items: Iterable[StoredClaim]) -> pyarrow.Table:
    """The claims as an Arrow table typed as the Parquet export is (`export.parquet_schema`)."""
    pa = _extra("pyarrow", "parquet", "to_arrow()")
    rows = [claim_row(item) for item in items]
    for row in rows:
        row["published"] = date.fromisoformat(row["published"]) if row["published"] else None
    return pa.Table.from_pylist(rows, schema=parquet_schema())
