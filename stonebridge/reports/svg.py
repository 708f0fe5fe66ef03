"""Charts for the report's PDF, drawn on the server as SVG: the PDF engine runs no JavaScript,
so the pages' ECharts cannot draw them. Pure: labels and values in, SVG text out."""

from html import escape

from stonebridge.display import number

FONT = "'Noto Sans CJK SC'"  # named explicitly, as in the stylesheet: Chinese and English alike
BAR = "#2f6f5e"


def bar_chart(items: list[tuple[str, float]], *, width: int = 520) -> str:
    """Horizontal bars, one per label, each with its value written beside it as pages write it
    (4200, 72.5; never 4200.0 or 4.2e+03)."""
    if not items:
        return ""
    row, label_width, pad = 22, 200, 6
    top = max(value for _label, value in items) or 1.0
    bar_space = width - label_width - 60
    height = row * len(items) + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{escape(FONT)}" '
        'font-size="10">'
    ]
    for n, (label, value) in enumerate(items):
        y = pad + n * row
        length = max(1.0, bar_space * value / top) if value else 0.0
        shown = str(number(round(value, 1)))
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(_short(label))}'
            "</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="14" fill="{BAR}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 13}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
