"""Small bar charts drawn as inline SVG on the server: no script, no CDN, readable without colours (labels)."""
from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = {"primary": "#2e7d32", "reserve": "#f9a825", "excluded": "#9e9e9e", "bar": "#1565c0", "budget": "#6a1b9a"}


def stacked_bars(rows: list[tuple[str, list[tuple[str, int]]]], *, title: str, legend: dict[str, str], say=str) -> str:
    """One horizontal bar per row, split into parts [(kind, count), ...]; `say` writes a value (money as money)."""
    width, bar_h, gap, label_w = 560, 18, 8, 90
    total_max = max((sum(n for _k, n in parts) for _l, parts in rows), default=0) or 1
    height = len(rows) * (bar_h + gap) + 30
    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" class="chart" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, (label, parts) in enumerate(rows):
        y = i * (bar_h + gap)
        out.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>')
        x = label_w
        for kind, n in parts:
            w = (width - label_w - 40) * n / total_max
            if n:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS.get(kind, "#555")}">'
                           f"<title>{escape(legend.get(kind, kind))}: {escape(say(n))}</title></rect>")
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11">{escape(" / ".join(say(n) for _k, n in parts))}</text>')
    y = len(rows) * (bar_h + gap) + 14
    x = 0
    for kind, text in legend.items():
        out.append(f'<rect x="{x}" y="{y - 10}" width="10" height="10" fill="{COLOURS.get(kind, "#555")}"/>'
                   f'<text x="{x + 14}" y="{y}" font-size="11">{escape(text)}</text>')
        x += 14 + 8 * len(text) + 16
    out.append("</svg>")
    return mark_safe("".join(out))


def histogram(counts: list[int], labels: list[str], *, title: str) -> str:
    """Vertical bars of a score distribution."""
    width, height, base = 300, 120, 100
    top = max(counts, default=0) or 1
    step = width / max(len(counts), 1)
    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height + 10}" class="chart chart-small" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, n in enumerate(counts):
        h = (base - 12) * n / top
        x = i * step
        out.append(f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" fill="{COLOURS["bar"]}">'
                   f"<title>{escape(labels[i])}: {n}</title></rect>")
        if n:
            out.append(f'<text x="{x + step / 2:.1f}" y="{base - h - 2:.1f}" font-size="9" text-anchor="middle">{n}</text>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{base + 12}" font-size="8" text-anchor="middle">{escape(labels[i].split("–")[0])}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
