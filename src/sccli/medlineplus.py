"""Read MedlinePlus health-topics XML: one article per topic, for ``--data``.

MedlinePlus, the US National Library of Medicine's consumer health site,
publishes its health topics as one XML file (``mplus_topics_YYYY-MM-DD.xml``,
also served zipped; https://medlineplus.gov/xml.html). A file is recognised
by its content, not its name: plain XML, a ``.zip`` holding it, or gzip.

What becomes of each element of the official format:

* ``<health-topics date-generated>``: the date of the copy (``origin.date``);
  ``total`` is not needed.
* ``<health-topic title url id language date-created>``: an article. Its id is
  a slug of the title (``-2``, ``-3`` when two titles give the same slug), its
  source is MedlinePlus with the topic's ``url``, ``reviewed`` is
  ``date-created`` (else the file's date), and ``language`` is kept
  (``origin.language``).
* ``<full-summary>`` (HTML, escaped as text): sections from its ``<h2>``/
  ``<h3>`` subheadings (a "Summary" section for text before the first one, or
  for all of it); ``<p>`` paragraphs and ``<ul>``/``<ol>`` lists as blocks
  (nested lists flattened into their outer list); links and emphasis keep
  their text. The closing attribution paragraph ("NIH: National Institute
  of ...") becomes a second source, not text. The HTML is parsed by the
  standard library's ``html.parser``, never passed through.
* ``<also-called>`` and ``<see-reference>``: aliases. ``<group>``: tags.
  ``<related-topic>``: related articles (topics in the same file).
* ``<language-mapped-topic>``: the topic in the other language; a related
  article when that topic is in the file.
* Knowingly skipped: ``<other-language>`` (names the same topic as
  ``<language-mapped-topic>``), ``<mesh-heading>``/``<descriptor>`` (indexing terms for
  librarians), ``<site>`` with ``<information-category>``, ``<organization>``
  and ``<standard-description>`` (links to other web pages, which an offline
  reader cannot open), and ``<primary-institute>``.

Every topic carries the credit NLM asks for ("Courtesy of MedlinePlus from
the National Library of Medicine", https://medlineplus.gov/about/using/usingcontent/),
which ``show`` and every export print. The XML is read with
``xml.etree.ElementTree``: expat never fetches the external DTD that the file
names, and refuses entity-expansion bombs. Everything read is then validated
and cleaned like a JSON data file (:func:`sccli.data.decode_library`).
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from html.parser import HTMLParser
from typing import Any

from sccli.data import MAX_BYTES, decode_library
from sccli.errors import DataError
from sccli.models import Library

PUBLISHER = "MedlinePlus, National Library of Medicine"
CREDIT = "Courtesy of MedlinePlus from the National Library of Medicine"
UPDATE_URL = "https://medlineplus.gov/xml.html"
_AGENCY = re.compile(r"^(NIH|CDC|FDA|AHRQ|HHS|NLM|NCI|CMS|SAMHSA|HRSA|ODPHP|[A-Z]{2,8})(?:/[A-Z]{2,8})*:\s+\S")
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


def unique_slug(slug: str, taken: set[str]) -> str:
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
    _HIDDEN = frozenset({"script", "style", "template", "noscript"})  # text that a page never shows

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str | None, list[dict[str, Any]]]] = [(None, [])]
        self._text: list[str] = []  # the paragraph, item or heading being read
        self._in_heading = False
        self._list_depth = 0
        self._list_ordered = False
        self._items: list[str] = []
        self._skipping = 0

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
        elif tag in self._HIDDEN:
            self._skipping += 1

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
        elif tag in self._HIDDEN and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush_text()
        self._list_depth = 0
        self._flush_list()


def _finished(html: str) -> str:
    """``html`` without a comment or tag that it ends inside: a browser shows none of it, and neither
    does sccli (html.parser would hand it back as text, differently from one Python to the next).
    One pass, linear in the text (a regular expression for this can take quadratic time)."""
    position = 0
    while (start := html.find("<!--", position)) != -1:
        end = html.find("-->", start + 4)
        if end == -1:
            html = html[:start]
            break
        position = end + 3
    last = html.rfind("<")
    following = html[last + 1 : last + 2]
    if last != -1 and ">" not in html[last:] and (following.isalpha() or following in ("/", "!", "?")):
        html = html[:last]
    return html


#: The heading of text before a summary's first subheading, in the topic's language.
_SUMMARY = {"Spanish": "Resumen"}


def summary_sections(html: str, language: str | None = None) -> list[dict[str, Any]]:
    """The sections of one topic's summary HTML, in the data file's format.

    Args:
        html: the text of ``<full-summary>`` (HTML, already unescaped from the XML).

    Returns:
        Sections with ``id``, ``heading`` and ``blocks``; empty when the
        summary has no text at all. Headings with no text under them are left out.
    """
    parser = _SummaryParser()
    parser.feed(_finished(html))
    parser.close()
    sections: list[dict[str, Any]] = []
    taken: set[str] = set()
    for heading, blocks in parser.sections:
        if not blocks:
            continue
        title = heading or _SUMMARY.get(language or "", "Summary")
        section_id = unique_slug(slugify(title) or "section", taken)
        sections.append({"id": section_id, "heading": title, "blocks": blocks})
    return sections


def _date(text: str | None) -> datetime.date | None:
    """A MedlinePlus date ("06/06/2024", "06/06/2024 00:00:00", or "2025-04-29" as definitions
    files write it), or None."""
    if not text:
        return None
    for layout in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text.strip().split()[0], layout).date()
        except (ValueError, IndexError):
            continue
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


def topics_to_library(root: ET.Element, *, language: str | None = None) -> dict[str, Any]:
    """Convert a parsed ``<health-topics>`` document into a data file's JSON value.

    Args:
        root: the ``<health-topics>`` element.
        language: keep only topics with this ``language`` attribute; None keeps all.

    Returns:
        A dict with ``schema_version`` and ``articles``, ready for ``json.dump``.

    Raises:
        ValueError: no topic has any summary text.
    """
    generated = _date(root.get("date-generated")) or datetime.date.today()
    topics = [
        topic
        for topic in root.iter("health-topic")
        if (language is None or topic.get("language") in (None, language)) and _plain(topic.get("title") or "")
    ]
    ids: set[str] = set()
    drafts: list[tuple[dict[str, Any], list[str]]] = []
    id_of_title: dict[str, str] = {}
    for topic in topics:
        title = _plain(topic.get("title") or "")
        summary_element = topic.find("full-summary")
        language_name = _plain(topic.get("language") or "") or None
        sections = summary_sections(summary_element.text or "", language_name) if summary_element is not None else []
        agency = _attribution(sections)
        if not sections:
            continue
        article_id = unique_slug(slugify(title) or f"topic-{topic.get('id') or len(drafts) + 1}", ids)
        id_of_title.setdefault(title.casefold(), article_id)
        reviewed = _date(topic.get("date-created")) or generated
        source: dict[str, Any] = {"publisher": PUBLISHER, "title": title, "year": generated.year}
        if _web(topic.get("url")):
            source["url"] = topic.get("url")
        sources = [source] + (
            [{"publisher": agency, "title": f"{title} (summary written for MedlinePlus)"}] if agency else []
        )
        names = [*_texts(topic, "also-called"), *_texts(topic, "see-reference")]
        origin: dict[str, Any] = {"credit": CREDIT, "date": generated.isoformat(), "update_url": UPDATE_URL}
        if topic.get("language"):
            origin["language"] = _plain(topic.get("language") or "")
        article = {
            "id": article_id,
            "title": title,
            "summary": _summary(sections),
            "sections": sections,
            "reviewed": reviewed.isoformat(),
            "sources": sources,
            "tags": _texts(topic, "group"),
            "aliases": list(dict.fromkeys(name for name in names if name.casefold() != title.casefold())),
            "origin": origin,
        }
        others = [*_texts(topic, "related-topic"), *_texts(topic, "language-mapped-topic")]
        drafts.append((article, others))
    if not drafts:
        raise ValueError("no health topic with a summary")
    articles = []
    for article, related_titles in drafts:
        related = [id_of_title[name.casefold()] for name in related_titles if name.casefold() in id_of_title]
        article["related"] = [other for other in dict.fromkeys(related) if other != article["id"]]
        articles.append(article)
    return {"schema_version": 1, "articles": articles}


def _attribution(sections: list[dict[str, Any]]) -> str | None:
    """Take the closing attribution paragraph ("NIH: National Institute of ...") out of the text
    and return it; it names who wrote the summary, a source rather than something to read."""
    if not sections or sections[-1]["blocks"][-1]["type"] != "paragraph":
        return None
    text = sections[-1]["blocks"][-1]["text"]
    if len(text) > 200 or not _AGENCY.match(text):
        return None
    sections[-1]["blocks"].pop()
    if not sections[-1]["blocks"]:
        sections.pop()
    return str(text)


def _web(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("https://", "http://"))


def read_library(raw: bytes, name: str) -> Library:
    """Read a MedlinePlus health-topics file (its bytes: XML, zip or gzip) as a library.

    Raises:
        DataError: the file is not a MedlinePlus health-topics file, its XML is
            malformed (with the line and column), or no topic has a summary.
    """
    xml = _unpack(raw, name)
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        line, column = error.position
        raise DataError(f"{name}: not well-formed XML at line {line}, column {column + 1}.") from None
    if root.tag == "definition-page":
        return read_definitions(root, name)
    if root.tag != "health-topics":
        raise DataError(
            f"{name}: a <{root.tag}> document, not MedlinePlus health topics (<health-topics>) "
            "or definitions (<definition-page>)."
        )
    try:
        document = topics_to_library(root)
    except ValueError as error:
        raise DataError(f"{name}: {error}.") from None
    return decode_library(json.dumps(document).encode(), name=name)


def read_definitions(root: ET.Element, name: str) -> Library:
    """A MedlinePlus definitions file (``<definition-page>``) as a library of glossary entries only.

    Each ``<term-group>`` is an entry: its ``<term>`` and ``<definition>``
    (CDATA, which in the genuine files starts with a stray ``>``), its source
    the group's ``reference`` (else MedlinePlus) with its ``reference-url``
    (else the page's ``page-url``), and the page's ``title``. Such a library
    has no articles: it adds words to ``define`` beside other libraries.

    Raises:
        DataError: no term group has both a term and a definition, or an entry is invalid.
    """
    import msgspec

    from sccli.models import SCHEMA_VERSION, Term
    from sccli.sanitize import clean_tree

    page = _plain(root.get("title") or "") or "MedlinePlus definitions"
    updated = _date(root.get("last-updated"))
    ids: set[str] = set()
    entries: list[dict[str, Any]] = []
    for group in root.iter("term-group"):
        term = _plain("".join(group.findtext("term") or "")).lstrip(">").strip()
        definition = _plain(group.findtext("definition") or "").lstrip(">").strip()
        if not term or not definition:
            continue
        url = next((u for u in (group.get("reference-url"), root.get("page-url")) if _web(u)), None)
        source: dict[str, Any] = {"publisher": _plain(group.get("reference") or "") or PUBLISHER, "title": page}
        if updated is not None:
            source["year"] = updated.year
        if url:
            source["url"] = url
        entries.append(
            {"id": unique_slug(slugify(term) or "term", ids), "term": term, "definition": definition, "source": source}
        )
    if not entries:
        raise DataError(f"{name}: no <term-group> with a term and a definition.")
    try:
        terms = msgspec.convert(clean_tree(entries), type=list[Term])
    except msgspec.ValidationError as error:
        raise DataError(f"{name}: a definition cannot be read ({error}).") from None
    return Library(SCHEMA_VERSION, [], [], terms)  # no articles: not a data file's Library, built directly


def _bounded(xml: bytes, name: str) -> bytes:
    """Unpacked XML, refused past the data file limit (a small archive can unpack to gigabytes)."""
    if len(xml) > MAX_BYTES:
        raise DataError(f"{name}: unpacks to more than the {MAX_BYTES // (1024 * 1024)} MiB limit for a data file.")
    return xml


def _unpack(raw: bytes, name: str) -> bytes:
    """The XML inside ``raw``: as it is, or out of a zip (its one ``.xml`` member) or gzip."""
    if raw.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as packed:
                return _bounded(packed.read(MAX_BYTES + 1), name)
        except (OSError, EOFError, zlib.error) as error:
            raise DataError(f"{name}: a damaged gzip file ({error}).") from None
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [info for info in archive.infolist() if info.filename.lower().endswith(".xml")]
                if len(members) != 1:
                    raise DataError(f"{name}: a zip file should hold one .xml file; this one has {len(members)}.")
                if members[0].file_size > MAX_BYTES:  # as the archive says: refused before unpacking
                    raise DataError(
                        f"{name}: unpacks to more than the {MAX_BYTES // (1024 * 1024)} MiB limit for a data file."
                    )
                with archive.open(members[0]) as packed:
                    return _bounded(packed.read(MAX_BYTES + 1), name)
        # zipfile's own ways of failing on a bad archive: NotImplementedError for a compression
        # method it lacks, RuntimeError for an encrypted member, zlib.error for a corrupt stream.
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error) as error:
            raise DataError(f"{name}: a damaged zip file ({error}).") from None
    return raw
