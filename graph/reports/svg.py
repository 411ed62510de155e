"""Inline SVG charts drawn from report data: no scripts, no fonts, no network."""

from __future__ import annotations

import math
from html import escape
from typing import Any

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22")


def _heat(value: float, top: float) -> str:
    """White for 0 to dark red for ``top``."""
    if top <= 0 or value <= 0:
        return "#ffffff"
    t = 0.15 + 0.85 * min(1.0, value / top)
    g = int(245 - t * 200)
    return f"rgb({int(255 - t * 80)},{g},{g})"


def heatmap(rows: list[str], cols: list[str], values: list[list[float]],
            marks: list[list[str]] | None = None, title: str = "") -> str:
    """A person × category grid, each cell shaded by its count and labelled with it.

    ``marks`` adds a short suffix to a cell's label (e.g. "S" for sender).
    """
    cell_w, cell_h, left, top = 92, 24, 170, 110
    # Room on the right for the last slanted column label.
    width, height = left + cell_w * len(cols) + 90, top + cell_h * len(rows) + 10
    peak = max((v for r in values for v in r), default=0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart heatmap" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>"]
    for j, c in enumerate(cols):
        x = left + j * cell_w + cell_w / 2
        out.append(f'<text x="{x:.0f}" y="{top - 8}" transform="rotate(-35 {x:.0f} {top - 8})" '
                   f'font-size="12">{escape(c)}</text>')
    for i, r in enumerate(rows):
        y = top + i * cell_h
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="12">'
                   f"{escape(r)}</text>")
        for j, v in enumerate(values[i]):
            x = left + j * cell_w
            mark = marks[i][j] if marks else ""
            fill = _heat(v, peak)
            ink = "#ffffff" if peak and v / peak > 0.6 else "#222222"
            out.append(f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                       f'fill="{fill}" stroke="#cccccc"><title>{escape(r)} · {escape(cols[j])}: '
                       f"{v:g}{' (' + escape(mark) + ')' if mark else ''}</title></rect>")
            label = f"{v:g}" + (f" {mark}" if mark else "")
            out.append(f'<text x="{x + cell_w / 2 - 1:.0f}" y="{y + 16}" text-anchor="middle" '
                       f'font-size="12" fill="{ink}">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def line_chart(series: dict[str, dict[str, float]], title: str = "") -> str:
    """One line per series over shared x labels (e.g. months), with a legend."""
    xs = sorted({x for s in series.values() for x in s})
    width, left, bottom, top, plot_h = 760, 50, 70, 20, 220
    plot_w = width - left - 20
    height = top + plot_h + bottom + 18 * len(series)
    peak = max((v for s in series.values() for v in s.values()), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart activity" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>",
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
           f'stroke="#888"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#888"/>',
           f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{peak:g}</text>',
           f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>']
    if not xs:
        out.append(f'<text x="{left + 10}" y="{top + 40}" font-size="13">No messages.</text></svg>')
        return "".join(out)

    def px(i: int) -> float:
        return left + (plot_w * i / (len(xs) - 1) if len(xs) > 1 else plot_w / 2)

    every = max(1, math.ceil(len(xs) / 12))
    for i, x in enumerate(xs):
        if i % every == 0:
            out.append(f'<text x="{px(i):.0f}" y="{top + plot_h + 16}" text-anchor="end" '
                       f'transform="rotate(-40 {px(i):.0f} {top + plot_h + 16})" font-size="11">'
                       f"{escape(x)}</text>")
    for k, (name, s) in enumerate(sorted(series.items())):
        colour = PALETTE[k % len(PALETTE)]
        pts = [(px(i), top + plot_h - plot_h * s.get(x, 0) / peak) for i, x in enumerate(xs)]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                   + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + '"/>')
        for (a, b), x in zip(pts, xs, strict=True):
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}">'
                       f"<title>{escape(name)} {escape(x)}: {s.get(x, 0):g}</title></circle>")
        ly = top + plot_h + bottom + k * 18  # legend under the axis
        out.append(f'<rect x="{left}" y="{ly - 9}" width="12" height="12" '
                   f'fill="{colour}"/><text x="{left + 18}" y="{ly + 1}" font-size="12">'
                   f"{escape(name)}</text>")
    out.append("</svg>")
    return "".join(out)


def network_picture(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], size_by: str,
                    directed: bool, title: str = "") -> str:
    """Nodes at their ``position``, coloured by ``community``, sized by ``size_by``."""
    width = height = 560
    pad = 40
    placed = {n["id"]: n for n in nodes if n.get("position")}
    peak = max((float(n.get(size_by) or 0) for n in placed.values()), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart network" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
           'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#999"/></marker>'
           "</defs>"]

    def xy(n: dict[str, Any]) -> tuple[float, float]:
        x, y = n["position"]
        return pad + x * (width - 2 * pad), pad + y * (height - 2 * pad)

    def radius(n: dict[str, Any]) -> float:
        return 5 + 17 * math.sqrt(max(0.0, float(n.get(size_by) or 0)) / peak)

    top_weight = max((float(e["weight"]) for e in edges), default=1) or 1
    for e in edges:
        a, b = placed.get(e["source"]), placed.get(e["target"])
        if a is None or b is None:
            continue
        (x1, y1), (x2, y2) = xy(a), xy(b)
        if directed:  # stop the arrow at the target's rim
            d = math.hypot(x2 - x1, y2 - y1) or 1
            x2, y2 = x2 - (x2 - x1) / d * radius(b), y2 - (y2 - y1) / d * radius(b)
        w = 0.6 + 3 * float(e["weight"]) / top_weight
        arrow = ' marker-end="url(#arrow)"' if directed else ""
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" '
                   f'stroke-opacity="0.6" stroke-width="{w:.1f}"{arrow}>'
                   f"<title>{escape(str(e['source']))} – {escape(str(e['target']))}: "
                   f"{e['weight']:g}</title></line>")
    for n in placed.values():
        x, y = xy(n)
        colour = PALETTE[(n.get("community") or 0) % len(PALETTE)]
        stroke = ' stroke="#000" stroke-width="2.5"' if n.get("broker") else ' stroke="#fff"'
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius(n):.1f}" fill="{colour}"{stroke}>'
                   f"<title>{escape(str(n['name']))}: {size_by} {float(n.get(size_by) or 0):.3g}, "
                   f"community {n.get('community')}</title></circle>")
        out.append(f'<text x="{x:.1f}" y="{y - radius(n) - 3:.1f}" text-anchor="middle" '
                   f'font-size="11">{escape(str(n["name"]))}</text>')
    out.append("</svg>")
    return "".join(out)
