"""Render the static report of a release: `python -m report [--release DIR] [--out DIR]` (or `make report`).

Reads only the release's files (catalogue, the assessment mart and the measure tables, as Parquet) and
writes plain HTML with inline SVG charts and inline CSS: it opens from the file system and works offline.

- index.html: every headline measure for England and Wales (latest value, target, desired direction,
  direction of travel, trend), and links to every force and measure;
- force/<force_id>.html: each measure's latest value for the force with its trend against England and
  Wales and the most similar group, rank, target status and status flags;
- measure/<measure_id>.html: forces ranked on the latest period, with a bar chart.

A measure is shown through one series: its total (breakdown `total`, `all`) where it has one, in the
most comparable unit it has (percent, rate, time, FTE, then count).
"""

from __future__ import annotations

import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import duckdb

from report.charts import bar_chart, format_value, line_chart

ENGLAND_AND_WALES = "K04000001"
UNIT_ORDER = ["percent", "rate_per_1000", "seconds", "days", "fte", "count"]
STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#12355b;color:#fff;padding:12px 24px}header a{color:#fff}
main{padding:16px 24px;max-width:1100px}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:2rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
.measure{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px;margin:10px 0}
.value{font-size:1.4rem;font-weight:600}
.flag{display:inline-block;padding:1px 6px;border-radius:4px;font-size:.8rem;margin-right:4px}
.flag.improving,.flag.met{background:#d8f0dc}.flag.deteriorating,.flag.not-met{background:#f7d9d4}
.flag.status{background:#fde9b8}.flag.neutral{background:#e8e8e8}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #e5e5e5;text-align:left}
td.num{text-align:right}.note{color:#555;font-size:.85rem}
.chart text.tick,.chart text.legend{font-size:11px;fill:#333}
.columns{columns:3;font-size:.9rem}
"""


@dataclass
class Rendered:
    out: Path
    pages: int
    charts: int
    seconds: float

    def line(self) -> str:
        return f"report: {self.pages} pages, {self.charts} charts, in {self.seconds:.1f}s -> {self.out / 'index.html'}"


def _page(title: str, body: str, release_id: str, depth: int) -> str:
    home = "../" * depth + "index.html"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f'<body><header><a href="{home}">Police performance</a> · release {escape(release_id)}</header>'
            f"<main>{body}</main></body></html>")


def _flag(text: str | None, kind: str) -> str:
    return f'<span class="flag {escape(kind)}">{escape(text)}</span>' if text else ""


def _travel(direction: str | None) -> str:
    kind = {"improving": "improving", "deteriorating": "deteriorating"}.get(direction or "", "neutral")
    return _flag(f"direction of travel: {direction}", kind) if direction else ""


def load(release: Path) -> tuple[dict[str, dict], dict[str, list[dict]], list[tuple[str, str]]]:
    """(catalogue by measure, series rows by measure, forces) for the primary series of every measure."""
    con = duckdb.connect()
    con.execute(f"create view catalogue as select * from read_parquet('{release}/catalogue.parquet')")
    con.execute("create view assessment as select * from "
                f"read_parquet('{release}/analysis/measure_assessment.parquet')")
    con.execute("create view measure_rows as select * from "
                f"read_parquet('{release}/measures/*.parquet', union_by_name = true)")
    order = " ".join(f"when '{u}' then {i}" for i, u in enumerate(UNIT_ORDER))
    rows = con.execute(f"""
        with series as (
            select measure_id, breakdown, breakdown_value, unit, count(value) as values_present
            from assessment group by all
        ),
        primary_series as (
            select * from series
            qualify row_number() over (
                partition by measure_id
                order by (breakdown = 'total' and breakdown_value = 'all') desc,
                         case unit {order} else 99 end, values_present desc, breakdown, breakdown_value
            ) = 1
        )
        select a.*, m.status_note
        from assessment as a
        inner join primary_series as p using (measure_id, breakdown, breakdown_value, unit)
        left join measure_rows as m using (measure_id, force_id, period_type, period_start, breakdown,
                                           breakdown_value, unit)
        order by a.measure_id, a.force_id, a.period_start
    """)
    names = [d[0] for d in rows.description]
    series: dict[str, list[dict]] = defaultdict(list)
    for row in rows.fetchall():
        record = dict(zip(names, row, strict=True))
        series[record["measure_id"]].append(record)
    catalogue = {r["measure_id"]: r for r in (
        dict(zip([d[0] for d in cur.description], values, strict=True))
        for cur in [con.execute("select * from catalogue order by topic, tier, measure_id")]
        for values in cur.fetchall())}
    forces = con.execute("select distinct force_id, force_name from assessment "
                         f"where force_id <> '{ENGLAND_AND_WALES}' order by force_name").fetchall()
    con.close()
    return catalogue, series, forces


def _by_force(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["force_id"]].append(row)
    return grouped


def _trend(rows_by_force: dict[str, list[dict]], force_id: str, title: str) -> str:
    """The force's series with England and Wales (not for counts: sizes differ) and its MSG average."""
    own = rows_by_force.get(force_id, [])
    labels = sorted({(r["period_start"], r["period_label"]) for r in own})
    index = {start: i for i, (start, _) in enumerate(labels)}

    def values(rows: list[dict], column: str = "value") -> list[float | None]:
        out: list[float | None] = [None] * len(labels)
        for r in rows:
            if r["period_start"] in index and r[column] is not None:
                out[index[r["period_start"]]] = float(r[column])
        return out

    unit = own[0]["unit"] if own else ""
    lines = [(own[0]["force_name"] if own else force_id, values(own))]
    if force_id != ENGLAND_AND_WALES and unit != "count":
        lines.append(("England and Wales", values(rows_by_force.get(ENGLAND_AND_WALES, []))))
    if force_id != ENGLAND_AND_WALES and any(r["msg_average"] is not None for r in own):
        lines.append(("Most similar group", values(own, "msg_average")))
    return line_chart([label for _, label in labels], lines, unit, title)


def _latest(rows: list[dict]) -> dict | None:
    return rows[-1] if rows else None


def measure_block(measure: dict, rows_by_force: dict[str, list[dict]], force_id: str, depth: int) -> str:
    latest = _latest(rows_by_force.get(force_id, []))
    if latest is None:
        return ""
    unit = latest["unit"]
    link = "../" * depth + f"measure/{escape(measure['measure_id'])}.html"
    flags = [_travel(latest["direction_of_travel"])]
    if latest["status"] != "ok":
        flags.append(_flag(f"{latest['status']}: {latest['status_note'] or ''}".strip(": "), "status"))
    if latest["target_status"] and latest["target_status"] not in ("no target", "not assessed"):
        flags.append(_flag(f"target: {latest['target_status']}",
                           "met" if latest["target_status"] == "met" else "not-met"))
    comparisons = []
    if force_id != ENGLAND_AND_WALES:
        if unit != "count" and latest["england_and_wales_value"] is not None:
            comparisons.append(f"England and Wales {escape(format_value(latest['england_and_wales_value'], unit))}")
        if latest["msg_average"] is not None:
            comparisons.append(f"most similar group {escape(format_value(latest['msg_average'], unit))} "
                               f"({escape(str(latest['msg_vintage'] or ''))})")
        if latest["force_rank"] is not None:
            comparisons.append(f"rank {latest['force_rank']} of {latest['forces_ranked']} (1 = best)")
    target = f"Target: {escape(measure['target_text'])}. " if measure.get("target_text") else ""
    breakdown = "" if latest["breakdown"] == "total" else \
        f" ({escape(latest['breakdown'])}: {escape(latest['breakdown_value'])})"
    title = f"{measure['name']}{breakdown}, {latest['force_name']}"
    return (f'<div class="measure" id="{escape(measure["measure_id"])}"><h3><a href="{link}">'
            f"{escape(measure['name'])}</a>{breakdown}</h3>"
            f'<div><span class="value" data-measure="{escape(measure["measure_id"])}">'
            f"{escape(format_value(latest['value'], unit))}</span> {escape(latest['period_label'])} "
            f"{''.join(flags)}</div>"
            f'<div class="note">{" · ".join(comparisons)}</div>'
            f'<div class="note">{target}Desired direction: {escape(measure.get("desired_direction") or "")}. '
            f"Source: {escape(latest['source_release'] or '')}</div>"
            f"{_trend(rows_by_force, force_id, title)}</div>")


def build(release: Path, out: Path) -> Rendered:
    started = time.monotonic()
    release = release.resolve()
    catalogue, series, forces = load(release)
    release_id = release.name
    if out.exists():
        shutil.rmtree(out)
    (out / "force").mkdir(parents=True)
    (out / "measure").mkdir()
    by_measure = {m: _by_force(rows) for m, rows in series.items()}
    pages = charts = 0

    def write(path: Path, html: str) -> None:
        nonlocal pages, charts
        path.write_text(html, encoding="utf-8")
        pages += 1
        charts += html.count("<svg")

    # overview: England and Wales, headline measures
    headline = [m for m in catalogue.values() if "headline" in (m.get("tier"), m.get("npg_tier"))]
    blocks = []
    for topic in sorted({m["topic"] for m in headline}):
        blocks.append(f"<h2>{escape(topic)}</h2>")
        for measure in (m for m in headline if m["topic"] == topic):
            block = measure_block(measure, by_measure.get(measure["measure_id"], {}), ENGLAND_AND_WALES, 0)
            blocks.append(block or f'<div class="measure"><h3>{escape(measure["name"])}</h3><p class="note">No '
                                   f"data yet: {escape(measure.get('source_status_note') or '')}</p></div>")
    force_links = "".join(f'<li><a href="force/{escape(f)}.html">{escape(n)}</a></li>' for f, n in forces)
    measure_links = "".join(f'<li><a href="measure/{escape(m)}.html">{escape(c["name"])}</a></li>'
                            for m, c in catalogue.items() if m in series)
    write(out / "index.html", _page("Police performance: England and Wales", (
        "<h1>England and Wales: headline measures</h1>"
        f'<p class="note">Release {escape(release_id)}, rendered {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. '
        "Each measure shows its latest value, its target and desired direction, and its direction of "
        "travel against the same period a year earlier.</p>"
        f"{''.join(blocks)}<h2>Forces</h2><ul class=\"columns\">{force_links}</ul>"
        f"<h2>Every measure with data</h2><ul class=\"columns\">{measure_links}</ul>"), release_id, 0))

    # one page per force
    for force_id, force_name in forces:
        parts = [f"<h1>{escape(force_name)}</h1>",
                 '<p class="note">Each measure: the latest value and its trend (the force, England and Wales, '
                 "and the most similar group average), its rank among forces, target and status flags.</p>"]
        for topic in sorted({m["topic"] for m in catalogue.values()}):
            blocks = [measure_block(m, by_measure[m["measure_id"]], force_id, 1)
                      for m in catalogue.values() if m["topic"] == topic and m["measure_id"] in by_measure]
            blocks = [b for b in blocks if b]
            if blocks:
                parts.append(f"<h2>{escape(topic)}</h2>{''.join(blocks)}")
        write(out / "force" / f"{force_id}.html", _page(force_name, "".join(parts), release_id, 1))

    # one page per measure: forces ranked on the latest period
    for measure_id, rows_by_force in by_measure.items():
        measure = catalogue.get(measure_id, {"name": measure_id, "definition": "", "target_text": None})
        latest_start = max(r["period_start"] for rows in rows_by_force.values() for r in rows)
        latest = [r for rows in rows_by_force.values() for r in rows
                  if r["period_start"] == latest_start and r["force_id"] != ENGLAND_AND_WALES]
        ranked = sorted((r for r in latest if r["value"] is not None),
                        key=lambda r: (r["force_rank"] is None, r["force_rank"] or 0, -float(r["value"])))
        gaps = [r for r in latest if r["value"] is None]
        unit = latest[0]["unit"] if latest else ""
        label = latest[0]["period_label"] if latest else ""
        chart = bar_chart([(r["force_name"], float(r["value"]), False) for r in ranked], unit,
                          f"{measure['name']}, {label}")
        table = "".join(
            f'<tr><td>{r["force_rank"] or ""}</td><td><a href="../force/{escape(r["force_id"])}.html">'
            f'{escape(r["force_name"])}</a></td><td class="num">{escape(format_value(r["value"], unit))}</td>'
            f'<td>{escape(r["direction_of_travel"] or "")}</td></tr>' for r in ranked)
        gap_list = "".join(f"<li>{escape(r['force_name'])}: {escape(r['status'])} "
                           f"{escape(r['status_note'] or '')}</li>" for r in gaps)
        national = _latest(rows_by_force.get(ENGLAND_AND_WALES, []))
        national_text = (f"England and Wales: {escape(format_value(national['value'], unit))} "
                         f"({escape(national['period_label'])})." if national else "")
        note = ranked[0]["rank_note"] if ranked and ranked[0]["force_rank"] is None else None
        write(out / "measure" / f"{measure_id}.html", _page(measure["name"], (
            f"<h1>{escape(measure['name'])}</h1><p>{escape(measure.get('definition') or '')}</p>"
            f'<p class="note">{national_text} '
            f"{'Target: ' + escape(measure['target_text']) + '. ' if measure.get('target_text') else ''}"
            f"{escape(note) + '.' if note else ''}</p>"
            f"<h2>Forces, {escape(label)}</h2>{chart}"
            f"<table><tr><th>rank</th><th>force</th><th>value</th><th>direction of travel</th></tr>{table}</table>"
            + (f"<h3>No value</h3><ul>{gap_list}</ul>" if gaps else "")), release_id, 1))
    return Rendered(out, pages, charts, time.monotonic() - started)
