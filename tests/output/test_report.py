"""The HTML report: self-contained, escaped, and rendered by a real browser."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from parley.output.report import build_context, render, write_report
from parley.corpus.store import Store
from test_store import STORY, article, gold_store, result

HOSTILE = 'Freedonia offered Sylvania $6 million a year <script>alert("x")</script> & more.'


@pytest.fixture()
def report_file(tmp_path: Path) -> Path:
    with Store(tmp_path / "r.db") as store:
        for r in STORY:
            store.add(result(article(r["id"], r["text"], r["published"], r["title"])))
        store.add(result(article("h1", HOSTILE, "2020-04-01", title="<img src=x onerror=alert(1)>")))
        store.add(result(article("h2", "Sylvania demanded $9 million a year.", "2020-05-01")))
        return write_report(store, tmp_path / "report.html")


def test_report_is_one_offline_file(report_file: Path) -> None:
    html = report_file.read_text(encoding="utf-8")
    # No external resource: every script is inline, nothing is fetched.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "cdn.plot.ly" not in html.split("</head>")[1]
    assert 'id="timeline-table"' in html and 'id="positions-chart"' in html
    assert "Plotly.newPlot" in html


def test_article_text_is_escaped(report_file: Path) -> None:
    body = report_file.read_text(encoding="utf-8").split("</head>", 1)[1]
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert "<img src=x" not in body


def test_every_entry_quotes_its_evidence_with_source_and_date(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        for r in STORY:
            store.add(result(article(r["id"], r["text"], r["published"], r["title"])))
        context = build_context(store)
        html = render(context)
    for entry in context["entries"]:
        assert f'id="{entry.id}"' in html
        for source in entry.sources:
            assert source.article in html
            for evidence in source.event.evidence:
                assert evidence.text.replace("$", "$") in html or evidence.text in html
    assert "2020-03-12" in html  # a source's publication day


def test_gold_seed_report_has_people_and_discrepancies(tmp_path: Path) -> None:
    with Store(gold_store()) as store:
        html = render(build_context(store))
    assert "Kang Kyung-wha" in html and "Foreign Minister" in html
    assert "not explained" in html and "explained" in html
    assert "kor-usa" in html and "jpn-usa" in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="needs Chromium (Debian: apt-get install chromium)")
def test_report_renders_in_headless_chromium(report_file: Path, tmp_path: Path) -> None:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
               "--dump-dom", report_file.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-500:]
    chart = dom.split('id="positions-chart"', 1)[1].split('id="positions-table"', 1)[0]
    # Plotly drew the chart: its SVG, one trace per side and the gap.
    assert "main-svg" in chart and "scatterlayer" in chart
    assert chart.count('class="trace scatter') >= 3
    timeline = dom.split('id="timeline-table"', 1)[1]
    assert timeline.count('class="timeline-entry"') >= 4
    assert "<script>alert" not in dom.split("</head>", 1)[1]
