#!/usr/bin/env python3
"""Peer for bench/run.sh: Python XlsxWriter in constant_memory mode writing
the rows of a CSV file (read with the csv module) into one sheet, with the
same typed cells as bench/floor's xlsx mode: numbers as numbers, booleans as
booleans, empty cells left empty, the rest as text (write_string, so that no
text is taken for a formula or a URL). Past Excel's row limit it continues on
further sheets.

usage: xlsxwriter_peer.py FILE.csv OUT.xlsx

Needs XlsxWriter (Debian: python3-xlsxwriter).
"""

import csv
import sys

import xlsxwriter

EXCEL_MAX_ROWS = 1048576
FLOATS = {"amount"}
INTS = {"page", "enterprises", "joint_ventures", "representative_offices", "documents", "input_line"}
BOOLS = {"quote_verified"}


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: xlsxwriter_peer.py FILE.csv OUT.xlsx")
    book = xlsxwriter.Workbook(argv[2], {"constant_memory": True})
    rows = 0
    with open(argv[1], newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        kinds = []
        for name in header:
            if name in FLOATS:
                kinds.append(float)
            elif name in INTS:
                kinds.append(int)
            elif name in BOOLS:
                kinds.append(bool)
            else:
                kinds.append(str)
        sheet, r = None, EXCEL_MAX_ROWS
        for row in reader:
            if r == EXCEL_MAX_ROWS:
                sheet = book.add_worksheet()
                sheet.write_row(0, 0, header)
                r = 1
            for c, (s, kind) in enumerate(zip(row, kinds)):
                if s == "":
                    continue
                if kind is str:
                    sheet.write_string(r, c, s)
                elif kind is bool:
                    sheet.write_boolean(r, c, s == "true")
                else:
                    sheet.write_number(r, c, kind(s))
            r += 1
            rows += 1
    book.close()
    print(f"xlsxwriter: {rows} rows")


if __name__ == "__main__":
    main(sys.argv)
