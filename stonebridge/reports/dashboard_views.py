"""The dashboard on a buyer's home page: a card the reports app gives the organisation page
(accounts.cards), so the home page grows into the dashboard and accounts imports nothing of
reports."""

from typing import Any

from stonebridge.accounts.models import Membership

from .dashboard import Dashboard, gather


def charts(dashboard: Dashboard) -> list[dict[str, Any]]:
    """What each section's chart draws, for ECharts (json_script): bars with their lists."""
    return [
        {
            "id": f"dashboard-chart-{section.key}",
            "key": section.key,
            "title": section.title,
            "bars": [
                {
                    "name": bar.label,
                    "value": bar.value,
                    "previous": bar.previous,
                    "url": bar.url,
                }
                for bar in section.bars
            ],
        }
        for section in dashboard.sections
        if section.has_data and section.bars
    ]


def home_card(membership: Membership) -> tuple[str, dict[str, Any]] | None:
    """Where the buyer stands, in charts with the numbers one click away; a supplier, a
    covenant or a service provider has no chain of its own and sees no dashboard."""
    if not membership.organisation.has_chain:
        return None
    dashboard = gather(membership.organisation)
    return "reports/dashboard/_card.html", {
        "dashboard": dashboard,
        "charts": charts(dashboard),
    }
