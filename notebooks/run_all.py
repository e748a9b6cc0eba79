"""Execute every notebook in this folder headless and fail on the first error in any of them.

Usage (from anywhere, with the notebooks' virtual environment):

    python notebooks/run_all.py [NOTEBOOK.ipynb ...] [--save DIR]

Each notebook runs in a fresh kernel with `notebooks/` as its working directory, so its
relative paths (`../data/sample/model.toml`, the default `../target/release/kinsight`)
resolve as they do in Jupyter. The kernel inherits the environment, so `KINSIGHT_BIN`
chooses the binary. `--save DIR` writes the executed notebooks (with their outputs) to
DIR; the notebooks in the repository are never modified. The last line printed is
`notebooks: N passed, N failed`, and the exit code is 1 if any notebook failed.
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

HERE = Path(__file__).resolve().parent
CELL_TIMEOUT_S = 1800
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def execute(path: Path, save: Path | None) -> bool:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(HERE)}},
    )
    start = time.monotonic()
    try:
        client.execute()
        ok = True
    except (CellExecutionError, CellTimeoutError) as e:
        # The cell, its output and the traceback, without terminal colours (CI logs are plain).
        print(f"FAILED {path.name}:\n{ANSI_COLOUR.sub('', str(e))}", file=sys.stderr)
        ok = False
    print(f"{'ok' if ok else 'FAILED'}: {path.name} ({time.monotonic() - start:.0f} s)", flush=True)
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, save / path.name)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every *.ipynb here")
    parser.add_argument("--save", type=Path, help="write the executed notebooks to this folder")
    args = parser.parse_args()
    paths = [p.resolve() for p in args.notebooks] or sorted(HERE.glob("*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    results = [execute(p, args.save) for p in paths]
    passed = sum(results)
    print(f"notebooks: {passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
