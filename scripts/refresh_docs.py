#!/usr/bin/env python3
"""Re-runs every `$ sceplint ...` console block in the README and the docs and writes the real
output into it. tests/docs.rs fails when a block is stale; run this, then read the diff.

    cargo build && python3 scripts/refresh_docs.py
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ["README.md", "docs/configuration.md", "docs/ci.md"]
BINARY = ROOT / "target" / "debug" / "sceplint"


def run(args):
    """Runs sceplint in the repository, or, for a command that writes files (`--fix`), in a
    scratch copy of the files it names (tests/docs.rs does the same)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if "--fix" not in args and "--fix-only" not in args:
        return subprocess.run([BINARY, *args], cwd=ROOT, capture_output=True, text=True, env=env)
    with tempfile.TemporaryDirectory() as scratch:
        for arg in args:
            if (ROOT / arg).is_file():
                (Path(scratch) / arg).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / arg, Path(scratch) / arg)
        return subprocess.run([BINARY, *args], cwd=scratch, capture_output=True, text=True, env=env)


def refresh(match):
    command = match.group(1)
    args = command[len("$ sceplint "):].split()
    out = run(args)
    # `--fix` says what it fixed on standard error before the report: show it first, as a
    # terminal would.
    if "--fix" in args:
        out.stdout, out.stderr = out.stderr, out.stdout
    text = "\n".join(line.rstrip() for line in (out.stdout + out.stderr).splitlines())
    return f"```console\n{command}\n{text}\n```"


for name in FILES:
    path = ROOT / name
    original = path.read_text()
    updated = re.sub(r"```console\n(\$ sceplint [^\n]*)\n.*?\n```", refresh, original, flags=re.S)
    if updated != original:
        path.write_text(updated)
        print(f"updated {name}")
