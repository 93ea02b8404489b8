"""Validates the ELF sections of a report against the report schema.
Usage: check_schema.py SCHEMA REPORT [SECTION...] (the ELF sections unless
named); exit 77 when jsonschema is missing."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(77)

schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
keys = tuple(sys.argv[3:]) or ("elf_files", "elf_summary", "findings")
sub = {
    "$schema": schema["$schema"],
    "type": "object",
    "required": list(sys.argv[3:]) or ["elf_files", "elf_summary"],
    "properties": {k: schema["properties"][k] for k in keys},
}
for k in ("$defs", "definitions"):
    if k in schema:
        sub[k] = schema[k]
jsonschema.validate(report, sub)
print("valid: " + ", ".join("%s (%d)" % (k, len(report.get(k) or ())) for k in keys))
