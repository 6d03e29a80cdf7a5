"""Where the public reference files live (outside the project): `../shared/external/` from the
project root. Tests read them as a cross-check; under CI=true a missing file fails the test."""
from pathlib import Path

from tests.tools import tool_missing

ROOT = Path(__file__).resolve().parents[2]
# `../shared` beside the project; a worktree one level further down looks one level up too.
EXTERNAL = next(
    (base / "shared" / "external" for base in (ROOT.parent, ROOT.parent.parent) if (base / "shared" / "external").is_dir()),
    ROOT.parent / "shared" / "external",
)
ISCED_CSV = EXTERNAL / "data" / "isced_f_2013.csv"
BM_SCHEMA = EXTERNAL / "ewp" / "erasmus-without-paper" / "ewp-specs-api-bm-mobilities" / "endpoints" / "report-request.xsd"


def external_file(path: Path) -> Path:
    if not path.exists():
        tool_missing(f"reference file {path.name}", hint="check out ../shared next to the project")
    return path
