"""Turn a MedlinePlus health-topics XML file into an sccli data file (bench only).

This is a stand-in for the relevance benchmark (``bench/relevance.py``) until
sccli has a MedlinePlus reader of its own. When ``sccli.medlineplus`` (or
something like it) exists, the benchmark should use that instead, and this
file should go.

What it makes of the official format (``mplus_topics_YYYY-MM-DD.xml``, plain or
gzipped; see /work/shared/medlineplus/README.md):

* one article per ``<health-topic>`` in the chosen language (English by
  default): id = slug of the title (made unique with ``-2``, ``-3``... when two
  titles give the same slug), title, aliases from ``<also-called>``, tags from
  ``<group>``, related from ``<related-topic>`` (only topics that are in the
  file), one source (MedlinePlus, with the topic's url);
* sections from the ``<h2>``/``<h3>`` headings inside the HTML of
  ``<full-summary>``; text before the first heading, or the whole summary when
  there is none, is a section "Summary" (id ``summary``);
* ``<p>`` paragraphs (and text outside any tag, and table rows) become
  paragraph blocks, ``<li>`` items become list blocks (nested lists are
  flattened into their outer list), all as plain text read with the standard
  library's ``html.parser``; links and emphasis keep only their text;
* the article summary is the first paragraph, cut at a word near 300
  characters; ``reviewed`` is the topic's ``date-created`` when it has one,
  else the file's ``date-generated``.

The XML is read with ``xml.etree.ElementTree`` (expat refuses the usual
entity-expansion bombs and never fetches external DTDs). The output is plain
JSON; validate it with ``sccli.data.load_library(path)``, which also cleans
control characters out of the text.

Usage:
    python bench/_medlineplus.py mplus_topics_2024-06-06.xml.gz out.json
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

PUBLISHER = "MedlinePlus, National Library of Medicine"
SUMMARY_CHARS = 300
_MAX_SLUG = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, at most 80 characters ("" when nothing is left).

    Args:
        text: any text, e.g. "Bell's Palsy".

    Returns:
        The slug, e.g. "bell-s-palsy".
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:_MAX_SLUG] else slug[:_MAX_SLUG]
    return slug


def _unique(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... the first that is not in ``taken`` (which it joins)."""
    candidate = slug
    number = 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = slug[: _MAX_SLUG - len(suffix)].rstrip("-") + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _plain(text: str) -> str:
    """Whitespace folded to single spaces, ends trimmed."""
    return " ".join(text.split())


class _SummaryParser(HTMLParser):
    """Collect the sections, paragraphs and list items of one ``<full-summary>``.

    After ``feed`` and ``close``, ``sections`` is a list of ``(heading, blocks)``
    pairs, the heading None for text before the first heading; blocks are
    dicts in the data file's format.
    """

    _HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
    _BREAKS = frozenset({"p", "div", "tr", "table", "blockquote"})
    _LISTS = frozenset({"ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str | None, list[dict[str, Any]]]] = [(None, [])]
        self._text: list[str] = []  # the paragraph, item or heading being read
        self._in_heading = False
        self._list_depth = 0
        self._list_ordered = False
        self._items: list[str] = []

    # Where text goes ------------------------------------------------------

    def _flush_text(self) -> None:
        """End the paragraph or item being read (a heading ends in handle_endtag)."""
        text = _plain("".join(self._text))
        self._text = []
        if not text:
            return
        if self._list_depth:
            self._items.append(text)
        else:
            self.sections[-1][1].append({"type": "paragraph", "text": text})

    def _flush_list(self) -> None:
        if self._items:
            items = [{"text": text} for text in self._items]
            self.sections[-1][1].append({"type": "list", "items": items, "ordered": self._list_ordered})
        self._items = []

    # HTMLParser callbacks ------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HEADINGS:
            self._flush_text()
            self._list_depth = 0
            self._flush_list()
            self._in_heading = True
        elif tag in self._LISTS:
            self._flush_text()
            if self._list_depth == 0:
                self._list_ordered = tag == "ol"
            self._list_depth += 1
        elif tag == "li" or tag in self._BREAKS:
            self._flush_text()
        elif tag in {"br", "td", "th"}:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HEADINGS and self._in_heading:
            heading = _plain("".join(self._text))
            self._text = []
            self._in_heading = False
            if heading:
                self.sections.append((heading, []))
        elif tag in self._LISTS and self._list_depth:
            self._flush_text()
            self._list_depth -= 1
            if self._list_depth == 0:
                self._flush_list()
        elif tag == "li" or tag in self._BREAKS:
            self._flush_text()
        elif tag in {"td", "th"}:
            self._text.append(" ")

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush_text()
        self._list_depth = 0
        self._flush_list()


def summary_sections(html: str) -> list[dict[str, Any]]:
    """The sections of one topic's summary HTML, in the data file's format.

    Args:
        html: the text of ``<full-summary>`` (HTML, already unescaped from the XML).

    Returns:
        Sections with ``id``, ``heading`` and ``blocks``; empty when the
        summary has no text at all. Headings with no text under them are left out.
    """
    parser = _SummaryParser()
    parser.feed(html)
    parser.close()
    sections: list[dict[str, Any]] = []
    taken: set[str] = set()
    for heading, blocks in parser.sections:
        if not blocks:
            continue
        title = heading or "Summary"
        section_id = _unique(slugify(title) or "section", taken)
        sections.append({"id": section_id, "heading": title, "blocks": blocks})
    return sections


def _date(text: str | None) -> datetime.date | None:
    """A MedlinePlus date ("06/06/2024" or "06/06/2024 00:00:00"), or None."""
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text.strip().split()[0], "%m/%d/%Y").date()
    except (ValueError, IndexError):
        return None


def _summary(sections: list[dict[str, Any]]) -> str:
    """The first paragraph (or item) of the article, cut at a word near SUMMARY_CHARS."""
    first = sections[0]["blocks"][0]
    text = str(first["text"] if first["type"] == "paragraph" else first["items"][0]["text"])
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _texts(topic: ET.Element, tag: str) -> list[str]:
    """The distinct, non-empty plain texts of ``topic``'s ``tag`` children, in order."""
    seen: list[str] = []
    for child in topic.findall(tag):
        text = _plain("".join(child.itertext()))
        if text and text not in seen:
            seen.append(text)
    return seen


def topics_to_library(root: ET.Element, *, language: str = "English") -> dict[str, Any]:
    """Convert a parsed ``<health-topics>`` document into a data file's JSON value.

    Args:
        root: the ``<health-topics>`` element.
        language: keep only topics with this ``language`` attribute (topics
            without one are kept).

    Returns:
        A dict with ``schema_version`` and ``articles``, ready for ``json.dump``.

    Raises:
        ValueError: no topic has any summary text.
    """
    generated = _date(root.get("date-generated")) or datetime.date.today()
    topics = [
        topic
        for topic in root.iter("health-topic")
        if topic.get("language") in (None, language) and _plain(topic.get("title") or "")
    ]
    ids: set[str] = set()
    drafts: list[tuple[dict[str, Any], list[str]]] = []
    id_of_title: dict[str, str] = {}
    for topic in topics:
        title = _plain(topic.get("title") or "")
        summary_element = topic.find("full-summary")
        sections = summary_sections(summary_element.text or "") if summary_element is not None else []
        if not sections:
            continue
        article_id = _unique(slugify(title) or f"topic-{topic.get('id') or len(drafts) + 1}", ids)
        id_of_title.setdefault(title.casefold(), article_id)
        reviewed = _date(topic.get("date-created")) or generated
        source: dict[str, Any] = {"publisher": PUBLISHER, "title": title, "year": generated.year}
        if topic.get("url"):
            source["url"] = topic.get("url")
        article = {
            "id": article_id,
            "title": title,
            "summary": _summary(sections),
            "sections": sections,
            "reviewed": reviewed.isoformat(),
            "sources": [source],
            "tags": _texts(topic, "group"),
            "aliases": [alias for alias in _texts(topic, "also-called") if alias.casefold() != title.casefold()],
        }
        drafts.append((article, _texts(topic, "related-topic")))
    if not drafts:
        raise ValueError(f"no {language} health topic with a summary")
    articles = []
    for article, related_titles in drafts:
        related = [id_of_title[name.casefold()] for name in related_titles if name.casefold() in id_of_title]
        article["related"] = [other for other in dict.fromkeys(related) if other != article["id"]]
        articles.append(article)
    return {"schema_version": 1, "articles": articles}


def convert(xml_path: str | Path, out_path: str | Path, *, language: str = "English") -> int:
    """Read a health-topics XML file (plain or ``.gz``) and write it as an sccli data file.

    Args:
        xml_path: the MedlinePlus file.
        out_path: where to write the JSON data file.
        language: which topics to keep (see :func:`topics_to_library`).

    Returns:
        The number of articles written.
    """
    xml_path = Path(xml_path)
    opener = gzip.open if xml_path.suffix == ".gz" else open
    with opener(xml_path, "rb") as handle:
        root = ET.parse(handle).getroot()
    library = topics_to_library(root, language=language)
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(library, out, ensure_ascii=False, indent=None)
    return len(library["articles"])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/_medlineplus.py TOPICS.xml[.gz] OUT.json")
    count = convert(sys.argv[1], sys.argv[2])
    print(f"{count} articles written to {sys.argv[2]}", file=sys.stderr)
