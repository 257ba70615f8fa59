"""Run every benchmark in this folder; each prints its own figures."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
for script in sorted(here.glob("*.py")):
    if script.name in {"run.py", "__init__.py"}:
        continue
    print(f"== {script.name}")
    subprocess.run([sys.executable, str(script)], check=True)
