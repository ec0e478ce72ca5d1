"""Check how figures.xlsx reads and prints, with openpyxl.

Usage: python3 -W error check_layout.py WORKBOOK EXPECTED.json

The workbook is the one export wrote, or LibreOffice's copy of it (saved
again as .xlsx), which shows what LibreOffice understood. EXPECTED.json is
written by xlsx_interop_test.go:

    {"print": {sheet: {"titles": "$1:$1" or null}},
     "header": {sheet: {"font": "Calibri", "size": 11}},
     "rows": [{"sheet": ..., "row": 2, "min_height": 90.0}],
     "wrap": [{"sheet": ..., "ref": ...}],
     "formats": [{"sheet": ..., "ref": ..., "format": number format}]}

Every sheet in "print" must print landscape, one page wide and as many
pages tall as it takes, with the sheet's name (&A) and the page (&P) in
its footer and the given rows repeated on every page. A row must be at
least as tall as min_height (a line is 15 points: a row without a height
of its own is one line), and at most 10 lines. Prints every problem
found and exits 1 if there is any.
"""

import json
import sys

import openpyxl


def check(path, expected):
    problems = []
    wb = openpyxl.load_workbook(path)
    for sheet, want in expected["print"].items():
        ws = wb[sheet]
        ps = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr
        if ps.orientation != "landscape":
            problems.append(f"{sheet}: orientation {ps.orientation}, want landscape")
        if fit is None or not fit.fitToPage or ps.fitToWidth != 1 or ps.fitToHeight != 0:
            problems.append(f"{sheet}: fit to page {fit and fit.fitToPage}, {ps.fitToWidth} wide, "
                            f"{ps.fitToHeight} tall; want one page wide, any number tall (0)")
        footer = "".join(p.text or "" for p in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right))
        if "&A" not in footer or "&P" not in footer:
            problems.append(f"{sheet}: footer {footer!r}, want the sheet's name (&A) and the page (&P)")
        if ws.print_title_rows != want["titles"]:
            problems.append(f"{sheet}: rows printed on every page {ws.print_title_rows!r}, want {want['titles']!r}")

    for sheet, want in expected["header"].items():
        font = wb[sheet]["A1"].font
        if not font.b or font.name != want["font"] or font.sz != want["size"]:
            problems.append(f"{sheet}!A1: header font {font.name} {font.sz} bold={font.b}, "
                            f"want bold {want['font']} {want['size']}")

    for r in expected["rows"]:
        got = wb[r["sheet"]].row_dimensions[r["row"]].height or 15
        if not r["min_height"] <= got <= 150:
            problems.append(f"{r['sheet']} row {r['row']}: height {got}, want {r['min_height']} to 150")

    for c in expected["formats"]:
        got = wb[c["sheet"]][c["ref"]].number_format
        if got != c["format"]:
            problems.append(f"{c['sheet']}!{c['ref']}: number format {got!r}, want {c['format']!r}")

    for c in expected["wrap"]:
        cell = wb[c["sheet"]][c["ref"]]
        if not cell.alignment.wrap_text or cell.alignment.vertical != "top":
            problems.append(f"{c['sheet']}!{c['ref']}: wrap {cell.alignment.wrap_text}, "
                            f"vertical {cell.alignment.vertical}; want wrapped text at the top")
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
