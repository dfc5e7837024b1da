#!/usr/bin/env python3
"""The Python baseline for scripts/bench.sh: what pre-commit-macadmin's check-plists hook does
to each file (load it with plistlib, report files that do not parse), over the same tree sceplint
walks. It checks syntax only, no SCEP setting, so it does less work than sceplint does.

    python3 scripts/bench/plistlib_check.py DIR
"""

import os
import plistlib
import sys
from xml.parsers.expat import ExpatError

EXTENSIONS = (".plist", ".mobileconfig")


def main(root):
    checked = failed = 0
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        for name in files:
            if not name.lower().endswith(EXTENSIONS):
                continue
            path = os.path.join(directory, name)
            checked += 1
            try:
                with open(path, "rb") as handle:
                    plistlib.load(handle)
            except (ExpatError, ValueError) as error:
                failed += 1
                print(f"{path}: plist parsing error: {error}")
    print(f"{checked} files checked, {failed} did not parse", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
