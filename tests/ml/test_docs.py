"""Docs chunking: one document per section, under its heading path, capped in size."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml.docs import (
    DocsSource,
    docs_documents,
    docs_source,
    markdown_sections,
    rst_sections,
    slugify,
    split_body,
)

GUIDE_MD = """---
title: Guide
---
CodeConvene turns community data into metrics.

# Install

Install with pip.

## Behind a proxy

```bash
# set the proxy first (a comment, not a heading)
export HTTPS_PROXY=http://proxy:3128
```

Then run `pip install codeconvene`.

Upgrading
---------

Run `pip install -U codeconvene`, then `codeconvene build`.

# Configure

Sources live in codeconvene.yaml.
"""

GUIDE_RST = """=========
Operators
=========

How to run CodeConvene.

Scheduling
----------

The weekly refresh runs on Mondays.

Retries
~~~~~~~

Failed steps retry three times.

Backups
-------

Copy the warehouse file.
"""


def test_markdown_sections_follow_the_heading_tree():
    sections = markdown_sections(GUIDE_MD)
    assert [s.headings for s in sections] == [
        (), ("Install",), ("Install", "Behind a proxy"), ("Install", "Upgrading"), ("Configure",),
    ]
    # a heading-like line inside a code fence stays in the body; front matter is dropped
    assert "# set the proxy first" in sections[2].body
    assert "title: Guide" not in sections[0].body


def test_rst_levels_come_from_the_order_of_adornments():
    sections = rst_sections(GUIDE_RST)
    assert [s.headings for s in sections] == [
        ("Operators",), ("Operators", "Scheduling"), ("Operators", "Scheduling", "Retries"),
        ("Operators", "Backups"),
    ]
    assert sections[2].body == "Failed steps retry three times."


def test_long_sections_split_at_paragraphs_under_the_cap():
    body = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(10))
    pieces = split_body(body, max_chars=500)
    assert len(pieces) > 1 and all(len(p) <= 500 for p in pieces)
    assert all(p.startswith("Paragraph") for p in pieces)  # never cut mid-paragraph here
    assert split_body("x" * 1200, max_chars=500) == ["x" * 500, "x" * 500, "x" * 200]


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "ops").mkdir(parents=True)
    (root / "guide.md").write_text(GUIDE_MD)
    (root / "ops" / "operators.rst").write_text(GUIDE_RST)
    (root / "node_modules").mkdir()
    (root / "node_modules" / "skip.md").write_text("# Vendored\n\nNot ours.")
    (root / "notes.txt").write_text("not documentation")
    return root


def test_documents_carry_heading_path_and_base_url(docs_dir):
    # GIVEN a docs folder configured with a base URL
    docs = docs_documents(DocsSource(docs_dir, "https://docs.example.org/"))
    by_text = {d.text.split("\n\n")[0]: d for d in docs}
    # THEN every section is a `doc` document led by its heading path, linking to its anchor
    proxy = by_text["Install > Behind a proxy"]
    assert proxy.kind == "doc" and "HTTPS_PROXY" in proxy.text
    assert proxy.url == "https://docs.example.org/guide.md#behind-a-proxy"
    retries = by_text["Operators > Scheduling > Retries"]
    assert retries.url == "https://docs.example.org/ops/operators.rst#retries"
    # AND vendored folders and non-doc files are skipped; ids are unique and stable
    assert not any("Vendored" in d.text for d in docs)
    assert len({d.id for d in docs}) == len(docs) == 9
    assert [d.id for d in docs] == [d.id for d in docs_documents(DocsSource(docs_dir))]


def test_without_base_url_the_file_url_is_cited(docs_dir):
    docs = docs_documents(DocsSource(docs_dir))
    assert docs[0].url.startswith("file://") and "guide.md" in docs[0].url


def test_docs_source_from_codeconvene_yaml(tmp_path):
    assert docs_source({}) is None
    assert docs_source({"docs": "docs"}, cwd=tmp_path) == DocsSource(tmp_path / "docs")
    assert docs_source({"docs": {"path": "/srv/docs", "base_url": "https://d.org"}}) == DocsSource(
        Path("/srv/docs"), "https://d.org")
    with pytest.raises(FileNotFoundError):
        docs_documents(DocsSource(tmp_path / "missing"))


def test_slugify_matches_github_anchors():
    assert slugify("Behind a proxy") == "behind-a-proxy"
    assert slugify("What's new in v0.5?") == "whats-new-in-v05"
