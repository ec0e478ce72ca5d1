#!/usr/bin/env python3
"""Check JUnit XML reports with readers nobody on this team wrote.

usage: check_junit.py SCHEMA REPORT...

For each REPORT:
  - validates it against the XML Schema SCHEMA (the Jenkins xunit plugin's
    JUnit schema, junit-10.xsd) with lxml;
  - reads it with junitparser, and checks that the counts each testsuite
    and the testsuites element declare are those junitparser counts from
    the test cases (failures: test cases that failed), and that no test
    case has more than one result element.
Then prints one JSON object per report on a line: the schema errors, the
count errors, and every suite with its test cases as junitparser reads
them. Exits 0 when every report passed both checks, 1 otherwise, 2 on a
usage error.

The Go test TestInteropJUnit in package pipeline runs this script, with
Debian's python3-junitparser and python3-lxml.
"""

import json
import sys

import junitparser
from lxml import etree


def schema_errors(schema, path):
    try:
        doc = etree.parse(path)
    except etree.XMLSyntaxError as e:
        return ["not well-formed: %s" % e]
    if schema.validate(doc):
        return []
    return ["line %d: %s" % (e.line, e.message) for e in schema.error_log]


def read(path):
    """Reads a report with junitparser: its suites, cases and count errors."""
    xml = junitparser.JUnitXml.fromfile(path)
    suites, count_errors = [], []
    if isinstance(xml, junitparser.TestSuite):  # a report without <testsuites>
        xml = [xml]
    total_tests = total_failures = 0
    for suite in xml:
        cases = []
        failed = 0
        for case in suite:
            results = list(case.result)
            if len(results) > 1:
                count_errors.append("%s / %s: %d result elements, want at most one" % (suite.name, case.name, len(results)))
            failure = next((r for r in results if isinstance(r, junitparser.Failure)), None)
            if failure is not None:
                failed += 1
            cases.append({
                "classname": case.classname,
                "name": case.name,
                "time": case.time,
                "failure": None if failure is None else {
                    "message": failure.message, "type": failure.type, "text": failure.text},
                "system_out": case.system_out,
            })
        if suite.tests != len(cases) or suite.failures != failed:
            count_errors.append("suite %s declares tests=%s failures=%s; it has %d test cases, %d failed" % (
                suite.name, suite.tests, suite.failures, len(cases), failed))
        total_tests += len(cases)
        total_failures += failed
        suites.append({"name": suite.name, "file": suite._elem.get("file"), "tests": suite.tests,
                       "failures": suite.failures, "time": suite.time, "cases": cases})
    if isinstance(xml, junitparser.JUnitXml) and (xml.tests != total_tests or xml.failures != total_failures):
        count_errors.append("testsuites declares tests=%s failures=%s; its suites have %d test cases, %d failed" % (
            xml.tests, xml.failures, total_tests, total_failures))
    return suites, count_errors


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = etree.XMLSchema(etree.parse(argv[1]))
    ok = True
    for path in argv[2:]:
        errors = schema_errors(schema, path)
        suites, count_errors = read(path) if not errors or not errors[0].startswith("not well-formed") else ([], [])
        ok = ok and not errors and not count_errors
        print(json.dumps({"report": path, "junitparser": junitparser.version, "schema_errors": errors,
                          "count_errors": count_errors, "suites": suites}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
