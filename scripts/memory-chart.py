#!/usr/bin/env python3
"""Draws a memory curve (CSV from scripts/memory-curve) as an SVG line chart and prints a summary.

usage: memory-chart.py SAMPLES.csv CHART.svg TITLE
Standard library only: no plotting package is needed on the machine that measures.
"""
import csv
import html
import sys

SERIES = [("rss_kb", "RSS", "#1f77b4"), ("rss_anon_kb", "RssAnon", "#d62728"),
          ("rss_file_kb", "RssFile", "#2ca02c"), ("heap_used_kb", "heap used", "#9467bd"),
          ("heap_committed_kb", "heap committed", "#8c564b")]


def main(samples, chart, title):
    rows = []
    with open(samples) as f:
        for row in csv.DictReader(f):
            try:
                rows.append({k: float(v) if v not in ("", None) else None for k, v in row.items()})
            except ValueError:
                continue
    if not rows:
        print("no samples")
        return
    t_max = max(r["seconds"] for r in rows) or 1
    mb_max = max((r[k] or 0) for r in rows for k, _, _ in SERIES) / 1024 or 1
    mb_max = ((int(mb_max) // 100) + 1) * 100
    w, h, left, right, top, bottom = 900, 420, 70, 170, 40, 50
    pw, ph = w - left - right, h - top - bottom
    x = lambda t: left + pw * t / t_max
    y = lambda mb: top + ph * (1 - mb / mb_max)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14">{html.escape(title)}</text>']
    for i in range(0, 6):
        mb = mb_max * i / 5
        out.append(f'<line x1="{left}" y1="{y(mb):.1f}" x2="{left + pw}" y2="{y(mb):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y(mb) + 4:.1f}" text-anchor="end">{mb:.0f} MB</text>')
    for i in range(0, 6):
        t = t_max * i / 5
        label = f"{t / 60:.1f} min" if t_max > 300 else f"{t:.0f} s"
        out.append(f'<text x="{x(t):.1f}" y="{top + ph + 20}" text-anchor="middle">{label}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
    for n, (key, name, color) in enumerate(SERIES):
        points = [(x(r["seconds"]), y(r[key] / 1024)) for r in rows if r.get(key) is not None]
        if not points:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{path}"/>')
        ly = top + 16 + 18 * n
        out.append(f'<line x1="{left + pw + 12}" y1="{ly - 4}" x2="{left + pw + 32}" y2="{ly - 4}" stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{left + pw + 38}" y="{ly}">{name}</text>')
    out.append("</svg>")
    with open(chart, "w") as f:
        f.write("\n".join(out) + "\n")

    def peak(key):
        values = [r[key] for r in rows if r.get(key) is not None]
        return max(values) / 1024 if values else float("nan")

    mid = rows[len(rows) // 2]
    anon_mid = (mid["rss_anon_kb"] or 0) / 1024
    print(f"samples {len(rows)} over {t_max:.0f} s; peak RSS {peak('rss_kb'):.0f} MB, RssAnon {peak('rss_anon_kb'):.0f} MB"
          f" (midpoint {anon_mid:.0f} MB, ratio {peak('rss_anon_kb') / anon_mid if anon_mid else float('nan'):.3f}),"
          f" RssFile {peak('rss_file_kb'):.0f} MB, heap used {peak('heap_used_kb'):.0f} MB,"
          f" committed {peak('heap_committed_kb'):.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
