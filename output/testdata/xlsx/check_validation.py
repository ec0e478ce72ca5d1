"""Check the data validations of figures.xlsx with openpyxl.

Usage: python3 -W error check_validation.py WORKBOOK EXPECTED.json [--copy]

EXPECTED.json is written by xlsx_interop_test.go:

    {"columns": {sheet: number of columns},
     "validations": [{"sheet": ..., "ref": "C2:C1048576", "type": "list" or null,
                      "operator": ... or null, "formula1": ... or null, "formula2": ... or null}],
     "lists": {defined name: [the values its range holds]}}

Every column of every sheet in "columns" must have exactly one validation,
from row 2 on, with an input message (at most 255 characters, as Excel
allows) and, when it checks something, a "stop" error message (at most 225).
The validations listed must be exactly as given, and every defined name in
"lists" must refer to cells that hold exactly its values, in order.

With --copy, the workbook is LibreOffice's copy of export's (saved again as
.xlsx), which shows what LibreOffice understood. LibreOffice writes a
validation's range only as far as the rows it uses, and writes an operator
and a formula2 of 0 where none is needed, so then only the range's first
cell, the type and formula1 are compared (and operator and formula2 where
the type uses them; only the type for "any value"). Prints every problem found and exits 1 if there is any.
"""

import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def check(path, expected, copy):
    problems = []
    wb = openpyxl.load_workbook(path)
    found = {}
    for sheet, ncols in expected["columns"].items():
        dvs = wb[sheet].data_validations.dataValidation
        by_col = {}
        for dv in dvs:
            ref = str(dv.sqref)
            first = ref.split(":")[0]
            by_col.setdefault(first, []).append(dv)
            found[(sheet, first)] = dv
        for c in range(1, ncols + 1):
            first = f"{get_column_letter(c)}2"
            got = by_col.get(first, [])
            if len(got) != 1:
                problems.append(f"{sheet}!{first}: {len(got)} validations starting there, want 1")
                continue
            dv = got[0]
            if not copy and str(dv.sqref) != f"{first}:{get_column_letter(c)}1048576":
                problems.append(f"{sheet}!{first}: validation over {dv.sqref}, want the whole column below the header")
            if not dv.showInputMessage or not dv.prompt or len(dv.prompt.encode("utf-16-le")) // 2 > 255 \
                    or not dv.promptTitle or len(dv.promptTitle) > 32:
                problems.append(f"{sheet}!{first}: input message {dv.promptTitle!r}: {dv.prompt!r}, want one of at most 255 characters")
            if dv.type and not copy and (not dv.showErrorMessage or dv.errorStyle != "stop" or not dv.error
                                         or len(dv.error.encode("utf-16-le")) // 2 > 225):
                problems.append(f"{sheet}!{first}: error message {dv.errorStyle} {dv.error!r}, want a stop of at most 225 characters")
        if len(dvs) != ncols:
            problems.append(f"{sheet}: {len(dvs)} validations, want {ncols}, one per column")

    for want in expected["validations"]:
        first = want["ref"].split(":")[0]
        dv = found.get((want["sheet"], first))
        where = f"{want['sheet']}!{want['ref']}"
        if dv is None:
            problems.append(f"{where}: no validation")
            continue
        got = {"ref": str(dv.sqref), "type": dv.type, "operator": dv.operator, "formula1": dv.formula1, "formula2": dv.formula2}
        keys = ["ref", "type", "operator", "formula1", "formula2"]
        if copy and want["type"] is None:  # any value: LibreOffice writes a formula1 of 0
            keys = ["type"]
        elif copy:
            keys = ["type", "formula1"]
            if want["type"] not in ("list", "custom"):
                keys += ["operator"] + (["formula2"] if want["formula2"] is not None else [])
        for k in keys:
            if got[k] != want[k]:
                problems.append(f"{where}: {k} {got[k]!r}, want {want[k]!r}")

    names = {d.name: d for d in wb.defined_names.definedName}
    for name, values in expected["lists"].items():
        d = names.get(name)
        if d is None:
            problems.append(f"no defined name {name}")
            continue
        got = []
        for sheet, ref in d.destinations:
            cells = wb[sheet][ref.replace("$", "")]
            got += [row[0].value for row in cells]
        if got != values:
            problems.append(f"{name} ({d.attr_text}): {len(got)} values {got[:5]}..., want {len(values)} {values[:5]}...")
    return problems


def main():
    path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    problems = check(path, expected, "--copy" in sys.argv[3:])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
