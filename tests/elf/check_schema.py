"""Validates the ELF sections of a report against the report schema.
Usage: check_schema.py SCHEMA REPORT; exit 77 when jsonschema is missing."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(77)

schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
keys = ("elf_files", "elf_summary", "findings")
sub = {
    "$schema": schema["$schema"],
    "type": "object",
    "required": ["elf_files", "elf_summary"],
    "properties": {k: schema["properties"][k] for k in keys},
}
jsonschema.validate(report, sub)
print("valid: %d ELF files" % len(report["elf_files"]))
