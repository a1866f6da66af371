"""Reads ACLED CSV exports with pandas, as an analyst would, and prints one JSON document of what it finds.

Usage: acled_check.py FILE [FILE ...]. For each file: the row count, whether the columns are the codebook's
31 in its order, the event_date values pd.to_datetime cannot parse as YYYY-MM-DD (the format of ACLED's API
and of our export), the numeric columns pandas did not read as numbers, and per column the cells where the
file gives a value but pandas holds NaN. The TypeScript test (test/integration/interop-acled.test.ts)
asserts on it.
"""
import json
import sys

import pandas as pd

# The ACLED codebook's columns, in its order (the 2023 layout: disorder_type, civilian_targeting and tags
# added; event_id_no_cnty, data_id and iso3 removed).
CODEBOOK = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]

# Columns ACLED gives as numbers (inter codes and interaction as numeric codes, as in the codebook).
NUMERIC = [
    "year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude",
    "geo_precision", "fatalities", "timestamp",
]


def check(path):
    df = pd.read_csv(path)  # pandas' defaults, as an analyst reads it
    given = pd.read_csv(path, dtype=str, keep_default_na=False)  # the cells as written
    dates = pd.to_datetime(df["event_date"], format="%Y-%m-%d", errors="coerce")
    not_numeric = [c for c in NUMERIC if c in df and not pd.api.types.is_numeric_dtype(df[c])]
    nan_where_given = {}
    for c in df.columns:
        n = int((df[c].isna() & (given[c] != "")).sum())
        if n:
            nan_where_given[c] = n
    return {
        "file": path,
        "rows": int(len(df)),
        "columns_are_codebook": list(df.columns) == CODEBOOK,
        "missing_columns": [c for c in CODEBOOK if c not in df.columns],
        "extra_columns": [c for c in df.columns if c not in CODEBOOK],
        "bad_dates": [str(v) for v in df["event_date"][dates.isna()].tolist()],
        "not_numeric": not_numeric,
        "nan_where_given": nan_where_given,
        "years_match_dates": bool((dates.dt.year == df["year"]).all()),
        "time_precisions": sorted(int(v) for v in df["time_precision"].dropna().unique()),
    }


print(json.dumps({"pandas": pd.__version__, "files": [check(p) for p in sys.argv[1:]]}))
