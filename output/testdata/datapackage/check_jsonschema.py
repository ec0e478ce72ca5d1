#!/usr/bin/env python3
"""Validate JSON documents against a JSON Schema with python3-jsonschema.

usage: check_jsonschema.py SCHEMA INSTANCE...

The validator class is the one the schema's "$schema" names
(Draft202012Validator for export's own schemas, Draft7Validator for the
Data Package profiles), and the schema itself is checked against its
metaschema first. A relative "$ref" resolves against the schema file's
directory. Formats (date, date-time, ...) are checked where the library
can. Prints the validator used, then "valid" or every error for each
instance; exits 1 when an instance is invalid and 2 on a usage error or an
invalid schema.

The Go tests in package output run this script (see datapackage_test.go).
"""

import json
import pathlib
import sys
import warnings

import jsonschema
from jsonschema import validators


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_path = pathlib.Path(argv[1]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"{argv[1]}: not a valid {cls.__name__} schema: {e.message}", file=sys.stderr)
        return 2
    with warnings.catch_warnings():
        # RefResolver is deprecated from jsonschema 4.18 on, in favour of the
        # referencing library, which Debian 12 does not have; it still works.
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(base_uri=schema_path.as_uri(), referrer=schema)
    validator = cls(schema, resolver=resolver, format_checker=cls.FORMAT_CHECKER)
    print(f"validator: {cls.__name__} (jsonschema {jsonschema_version()})")
    invalid = 0
    for name in argv[2:]:
        doc = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{name}: {where}: {e.message}")
        if errors:
            invalid += 1
        else:
            print(f"{name}: valid")
    return 1 if invalid else 0


def jsonschema_version():
    try:
        from importlib.metadata import version
        return version("jsonschema")
    except Exception:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
