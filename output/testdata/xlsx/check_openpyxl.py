"""Check figures.xlsx with openpyxl, a reader the export team did not write.

Usage: python3 -W error check_openpyxl.py WORKBOOK EXPECTED.json

EXPECTED.json is written by xlsx_interop_test.go:

    {"sheets": [names in order],
     "tables": {sheet: [[table name, ref], ...]},
     "frozen": {sheet: "A2"},
     "dimensions": {sheet: "A1:S3"},
     "cells": [{"sheet": ..., "ref": ..., "type": "number"|"date"|"bool"|"text"|"empty",
                "value": ..., "format": number format or absent}],
     "hyperlinks": [{"sheet": ..., "ref": ..., "target": ...}]}

Run with -W error: a warning while loading (openpyxl warns about parts it
does not understand or had to repair) is then an error. Prints every
problem found and exits 1 if there is any.
"""

import datetime
import json
import sys

import openpyxl


def check(path, expected):
    problems = []
    wb = openpyxl.load_workbook(path)
    if wb.sheetnames != expected["sheets"]:
        problems.append(f"sheets {wb.sheetnames}, want {expected['sheets']}")
    if wb.active.title != expected["sheets"][0]:
        problems.append(f"active sheet {wb.active.title}, want {expected['sheets'][0]}")

    for sheet, tables in expected["tables"].items():
        got = sorted([t.name, t.ref] for t in wb[sheet].tables.values())
        if got != sorted(tables):
            problems.append(f"{sheet}: tables {got}, want {tables}")
        for t in wb[sheet].tables.values():
            if t.autoFilter is None or t.autoFilter.ref != t.ref:
                problems.append(f"{sheet}: table {t.name} has no filter over {t.ref}")

    for sheet, cell in expected["frozen"].items():
        if wb[sheet].freeze_panes != cell:
            problems.append(f"{sheet}: frozen at {wb[sheet].freeze_panes}, want {cell}")

    for c in expected["cells"]:
        cell = wb[c["sheet"]][c["ref"]]
        where = f"{c['sheet']}!{c['ref']}"
        v, want, typ = cell.value, c["value"], c["type"]
        if typ == "number":
            ok = cell.data_type == "n" and isinstance(v, (int, float)) and not isinstance(v, bool) and v == want
        elif typ == "date":
            ok = isinstance(v, datetime.datetime) and cell.is_date and v.date().isoformat() == want
        elif typ == "bool":
            ok = cell.data_type == "b" and v is want
        elif typ == "text":
            ok = cell.data_type == "s" and v == want
        elif typ == "empty":
            ok = v is None
        else:
            ok = False
        if not ok:
            problems.append(f"{where}: {v!r} (data type {cell.data_type}), want {typ} {want!r}")
        if "format" in c and cell.number_format != c["format"]:
            problems.append(f"{where}: number format {cell.number_format!r}, want {c['format']!r}")

    for h in expected["hyperlinks"]:
        link = wb[h["sheet"]][h["ref"]].hyperlink
        if link is None or link.target != h["target"]:
            problems.append(f"{h['sheet']}!{h['ref']}: hyperlink {link and link.target!r}, want {h['target']!r}")

    # Read-only mode takes a sheet's size from its <dimension> element, as
    # BI tools do, where normal mode counts the cells.
    ro = openpyxl.load_workbook(path, read_only=True)
    for sheet, dim in expected["dimensions"].items():
        got = ro[sheet].calculate_dimension()
        if got != dim:
            problems.append(f"{sheet}: dimension {got}, want {dim}")
    ro.close()
    return problems


def main():
    path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    problems = check(path, expected)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
