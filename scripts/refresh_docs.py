#!/usr/bin/env python3
"""Re-runs every `$ sceplint ...` console block in the README and the docs and writes the real
output into it. tests/docs.rs fails when a block is stale; run this, then read the diff.

    cargo build && python3 scripts/refresh_docs.py
"""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ["README.md", "docs/configuration.md", "docs/ci.md"]
BINARY = ROOT / "target" / "debug" / "sceplint"


def refresh(match):
    command = match.group(1)
    args = command[len("$ sceplint "):].split()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    out = subprocess.run([BINARY, *args], cwd=ROOT, capture_output=True, text=True, env=env)
    text = "\n".join(line.rstrip() for line in (out.stdout + out.stderr).splitlines())
    return f"```console\n{command}\n{text}\n```"


for name in FILES:
    path = ROOT / name
    original = path.read_text()
    updated = re.sub(r"```console\n(\$ sceplint [^\n]*)\n.*?\n```", refresh, original, flags=re.S)
    if updated != original:
        path.write_text(updated)
        print(f"updated {name}")
