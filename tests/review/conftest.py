"""Make the draft builders in drafts.py importable from the review tests."""

from __future__ import annotations

import sys
from pathlib import Path

# pytest imports test modules without putting their folder on sys.path (importlib mode).
sys.path.insert(0, str(Path(__file__).parent))
