"""HTML export: one self-contained file (inline CSS and SVG, no script, no CDN).

A header names the sources and the settings the numbers came from; each report
present gets its chart, its table and a plain-language explanation of its measures.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..participation import month_starts
from . import explain, svg

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem}h1{font-size:1.6rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;
margin-top:2.5rem}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border:1px solid
#ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
dl.explain dt{font-weight:600;margin-top:.4rem}dl.explain dd{margin:0 0 0 1rem}.note{color:#555;
font-size:.9rem}.chart{max-width:100%;height:auto;background:#fff;border:1px solid #eee;margin:.5rem 0}
.warn{background:#fff4e5;border-left:4px solid #f0a040;padding:.5rem 1rem}
"""


def _table(columns: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for v in r:
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            text = f"{v:.4g}" if isinstance(v, float) else "" if v is None else str(v)
            cells.append(f'<td class="n">{escape(text)}</td>' if num else f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _explain(items: dict[str, str], keys: list[str] | None = None) -> str:
    keys = keys or list(items)
    return '<dl class="explain">' + "".join(
        f"<dt>{escape(k.replace('_', ' '))}</dt><dd>{escape(items[k])}</dd>" for k in keys
    ) + "</dl>"


def _header(reports: dict[str, dict[str, Any]]) -> str:
    first = next(iter(reports.values()))
    prov = first["provenance"]
    sources = _table(["path", "format", "loaded at", "records", "rejected"],
                     [[s["path"], s["format"], s["loaded_at"], s["records"], s["rejected"]]
                      for s in prov["sources"]])
    settings = []
    for kind, report in reports.items():
        shown = {k: v for k, v in report["provenance"]["settings"].items() if v is not None}
        text = ", ".join(f"{k} = {v}" for k, v in shown.items()) or "all groups, all dates"
        settings.append(f"<li><b>{escape(kind)}</b>: {escape(text)}</li>")
    return (f"<header><h1>conductgraph report</h1><p class=\"note\">Store: {escape(prov['backend'])}."
            " Every number below was computed from these sources with these settings.</p>"
            f"<h3>Sources</h3>{sources}<h3>Settings</h3><ul>{''.join(settings)}</ul></header>")


def _exposure(r: dict[str, Any]) -> str:
    cats = r["categories"]
    people = r["people"]
    marks = {"sender": "S", "bystander": "", "unexposed": ""}
    chart = svg.heatmap([p["name"] for p in people], [c["name"] for c in cats],
                        [[p["flagged_seen"][c["id"]] for c in cats] for p in people],
                        [[marks[p["roles"][c["id"]]] for c in cats] for p in people],
                        title="Flagged messages seen, per person and category")
    table = _table(
        ["person", "messages seen", "flagged seen", "cited seen", "first exposure",
         "last exposure", "senders seen", "groups", "roles"],
        [[p["name"], p["messages_seen"], p["flagged_seen_total"], p["cited_seen"],
          p["first_exposure"], p["last_exposure"], len(p["senders_seen"]), ", ".join(p["groups"]),
          "; ".join(f"{c}: {v}" for c, v in p["roles"].items() if v != "unexposed") or "unexposed"]
         for p in people])
    msgs = _table(["sent at", "group", "sender", "categories", "cited by", "audience"],
                  [[m["sent_at"], m["group"], m["sender"], ", ".join(m["categories"]),
                    ", ".join(m["cited_by"]), f"{m['audience_size']}: " + ", ".join(m["audience"])]
                   for m in r["messages"][:500]])
    more = (f'<p class="note">First 500 of {len(r["messages"])} messages; the JSON export has all.</p>'
            if len(r["messages"]) > 500 else "")
    return ('<section id="exposure"><h2>Exposure: who saw flagged content</h2>'
            f'{_explain(explain.EXPOSURE)}<h3>Flagged messages seen (S = also sent such content)</h3>'
            f"{chart}<h3>Per person</h3>{table}<h3>Flagged and cited messages and their audience</h3>"
            f"{msgs}{more}</section>")


def _participation(r: dict[str, Any]) -> str:
    months = sorted(m["month"] for g in r["groups"] for m in g["months"])
    span = month_starts(months[0], months[-1]) if months else []
    # Every month of the whole span on every line, so a quiet month shows as 0, not a gap.
    series = {g["name"]: {**dict.fromkeys(span, 0), **{m["month"]: m["messages"]
                                                        for m in g["months"]}}
              for g in r["groups"]}
    chart = svg.line_chart(series, title="Messages per month, per group")
    people = _table(["person", "messages sent", "active days", "first", "last", "groups"],
                    [[p["name"], p["messages_sent"], p["active_days"], p["first_message"],
                      p["last_message"],
                      "; ".join(f"{g['group']} ({g['messages_sent']}, {g['share']:.0%})"
                                for g in p["groups"])] for p in r["people"]])
    month_table = _table(["group", "month", "messages", "members", "active", "silent"],
                         [[g["name"], m["month"], m["messages"], m["members"], m["active"],
                           m["silent"]] for g in r["groups"] for m in g["months"]])
    return ('<section id="participation"><h2>Participation: who posted how much, when</h2>'
            f"{_explain(explain.PARTICIPATION)}<h3>Activity over time per group</h3>{chart}"
            f"<h3>Per person</h3>{people}<h3>Active and silent members per month</h3>{month_table}"
            "</section>")


def _network(r: dict[str, Any]) -> str:
    measure, how = r["measure"], r["betweenness"]
    picture = svg.network_picture(r["people"], r["edges"], measure, r["directed"],
                                  title=f"{r['projection']} network")
    approx = ""
    if how["method"] == "approximate":
        approx = (f'<p class="warn">Betweenness is approximate: sampled from {how["k"]} of '
                  f'{how["nodes"]} people (seed {how["seed"]}), because the network has more than '
                  f'{how["exact_limit"]} people.</p>')
    cols = ["rank", "person", measure, "degree", "betweenness", "closeness", "eigenvector",
            "pagerank", "community", "core", "broker"]
    table = _table(cols, [[p["rank"], p["name"], p[measure], p["degree"], p["betweenness"],
                           p["closeness"], p["eigenvector"], p["pagerank"], p["community"],
                           p["core"], ", ".join(p["broker_reasons"])] for p in r["people"][:300]])
    slices = _table(["slice", "people", "links", "density", "communities", f"top by {measure}"],
                    [[s["label"], s["nodes"], s["edges"], s["density"], s["communities"],
                      ", ".join(k for k, _ in sorted(s["values"].items(),
                                                     key=lambda kv: (-kv[1], kv[0]))[:3])]
                     for s in r["slices"]])
    how_slices = r.get("slice_method")
    if how_slices:
        slices += (f'<p>Per slice: {escape(measure)} and a count of Louvain communities found '
                   f'on that slice alone (seed {how_slices["seed"]}); betweenness of a slice with '
                   f'more than {how_slices["betweenness_exact_limit"]} people is sampled from '
                   f'{how_slices["betweenness_k"]} of them.</p>')
    keys = [r["projection"], "degree", "weighted_degree", "betweenness", "closeness",
            "eigenvector", "pagerank", "community", "core", "broker"]
    return (f'<section id="network"><h2>Network: {escape(r["projection"].replace("_", "-"))}</h2>'
            f"{_explain(explain.NETWORK, keys)}{approx}"
            f"<h3>Picture: colour = community, size = {escape(measure)}, black ring = broker</h3>"
            f"{picture}<h3>Measures per person</h3>{table}<h3>Over time</h3>{slices}</section>")


def render_html(reports: dict[str, dict[str, Any]]) -> str:
    """A complete HTML page for the given reports (kind → report dict, any subset)."""
    parts = {"exposure": _exposure, "participation": _participation, "network": _network}
    body = "".join(parts[kind](r) for kind, r in reports.items())
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>conductgraph report</title><style>{CSS}</style></head><body>"
            f"{_header(reports)}{body}</body></html>\n")
