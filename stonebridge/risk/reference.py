"""The reviewed reference files in `data/`: the taxonomy and the cited baseline.

Loaded by a migration into tables staff can edit. `load` is also how tests check the files.
"""

import csv
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
CONTEXTS = {
    "",
    "quarrying",
    "sawing",
    "dry_finishing",
    "workshop",
    "block_trading",
    "unknown_origin",
}


def taxonomy_file() -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads((DATA / "taxonomy.json").read_text("utf-8"))["issues"]
    return issues


def baseline_file() -> list[dict[str, str]]:
    with (DATA / "baseline.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(issue_model: Any, indicator_model: Any, baseline_model: Any) -> None:
    """Create the rows from the files (models given, so a migration can pass its own)."""
    for issue in taxonomy_file():
        created = issue_model.objects.create(
            code=issue["code"],
            order=issue["order"],
            name_en=issue["name_en"],
            name_zh=issue["name_zh"],
            description_en=issue["description_en"],
            description_zh=issue["description_zh"],
            scale=issue["scale"],
            irremediability=issue["irremediability"],
        )
        for indicator in issue["indicators"]:
            indicator_model.objects.create(
                issue=created,
                code=indicator["code"],
                name_en=indicator["name_en"],
                name_zh=indicator["name_zh"],
                scale=indicator["scale"],
                irremediability=indicator["irremediability"],
                ilo_forced_labour=indicator.get("ilo", False),
                contexts=",".join(indicator["contexts"]),
            )
    for row in baseline_file():
        baseline_model.objects.create(
            issue_id=row["issue"],
            country=row["country"],
            province=row["province"],
            context=row["context"],
            level=int(row["level"]),
            fact_en=row["fact_en"],
            fact_zh=row["fact_zh"],
            source=row["source"],
            year=int(row["year"]) if row["year"] else None,
            url=row["url"],
            status=row["status"],
        )
