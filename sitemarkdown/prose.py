r"""What a reader reads on a built page: its language, its prose, and whether that prose is Chinese.

The build (``docs/language_links.py``) and the language tests (``tests/test_languages.py``) read
pages with this one reader. Prose is the article's text outside the parts that stay as they are in
either language (``NOT_PROSE``, ``NOT_PROSE_CLASSES``, and anything marked ``lang="en"``):

- code, keyboard input and program output (``pre``, ``code``, ``kbd``, ``samp``): identifiers
  and the output of the commands are the same in both languages;
- math and drawings (``math``, ``svg``): symbols, not words;
- the API reference's English docstrings (class ``doc``): each object's Chinese summary comes
  first, and the English docstring it summarises may follow;
- a title or phrase quoted in English on purpose, marked ``<span lang="en">``;
- the permalink signs after headings (class ``headerlink``);
- the names of products that have no Chinese name (``NAMES``, such as "Material for MkDocs"):
  a name is not a sentence, however many words it has.

Example:
    >>> page = read_html('<html lang="zh"><article><p>链式法则 <code>dZ = dA * g</code></p></article></html>')
    >>> page.lang, page.prose
    ('zh', '链式法则')
    >>> english_runs("本页 the same mask and scale 见上，主题是 Material for MkDocs。")
    ['the same mask and scale']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from sitemarkdown.cjk import FULL_WIDTH_PUNCTUATION

#: Elements whose text is not prose: code, math, drawings, and the page's machinery.
NOT_PROSE = {"pre", "code", "kbd", "samp", "math", "svg", "script", "style", "template"}
#: Classes whose elements are not prose: mkdocstrings' docstrings (on the Chinese API reference the
#: Chinese summary comes first, the English docstring may follow) and the permalink signs after headings.
NOT_PROSE_CLASSES = {"doc", "headerlink"}
#: Elements that end a run of text: words in two cells or two paragraphs are not one sentence.
BLOCKS = {
    "p", "li", "td", "th", "tr", "table", "div", "dt", "dd", "dl", "ul", "ol", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "figcaption", "summary", "details", "caption", "hr",
}  # fmt: skip
VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
#: Headings that links point into (the h1 is the page's title: a link to it is a link to the page).
SECTION_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}

#: Stands in ``Page.text`` for an element left out of the prose (code, math...).
HOLE = "\x00"
SPACE_AFTER_PUNCTUATION = re.compile(rf"(?<=[{FULL_WIDTH_PUNCTUATION}]) +(?=\S)")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
#: Below this share of CJK characters among the letters of its prose, a Chinese page is not written
#: in Chinese (the measurements behind it are in ``tests/test_languages.py``).
MIN_CJK_SHARE = 0.4
#: A run of this many English words in a Chinese page's prose is an untranslated phrase: a Chinese
#: sentence names at most two Latin terms in a row ("PyTorch CPU", "leaky ReLU"), while an English
#: label left in a generated box is often three ("The full derivation"). Measured on the built
#: site: 112 runs of two words, all names and symbols; 5 runs of three, the glossary's English
#: column (now marked ``lang="en"``) and one product name (``NAMES``).
MAX_ENGLISH_RUN = 3
#: Products whose name has three English words or more and no Chinese name.
NAMES = {"Material for MkDocs"}
#: The Latin words a Chinese page's formulas may write as text (``\text{…}``), each with why; every other
#: English word there is translated where the formula is written (a symbol's name as a
#: ``derivations.core.Text``, a page's own formula in its Chinese twin).
MATH_TEXT_WORDS = {
    "in": "the subscript of n_in, the fan-in, as Chinese texts on Glorot's initialization write it too",
    "out": "the subscript of n_out, the fan-out, likewise",
    "Glorot": "a person's name: the initialization's author",
    "mach": "the subscript of ε_mach, machine epsilon, as numerical analysis writes it in any language",
    "maxValue": "the course's argument name (its clip function's maxValue): code, not a word",
}
#: A word of two letters or more in a formula's text (one letter is a symbol: the d of dx).
MATH_WORD = re.compile(r"[A-Za-z]{2,}")
#: An English word of a sentence: letters only. ``np.sum``, ``Var(w)``, ``2.13.0`` or ``i18n`` are
#: names, numbers and code, not words, and break a run.
ENGLISH_WORD = r"(?<![A-Za-z0-9_.])[A-Za-z]+(?:['’][A-Za-z]+)?(?![A-Za-z0-9_(\[]|\.[A-Za-z0-9_])"
#: What separates the words of one English sentence: spaces, commas, hyphens, a full stop before a space.
WORD_GAP = r"(?:[ \t,;:!?\"“”-]|\.(?=[ \t]))+"


@dataclass
class Page:
    """What the language checks read from one built page."""

    lang: str = ""
    #: The page's ``<meta name="description">``.
    description: str = ""
    #: The article's prose, one line per block (paragraph, cell, heading...).
    prose: str = ""
    #: The article's text as a reader sees its spacing: the prose with ``HOLE`` where code, math or
    #: another element left out of the prose stands, one line per block.
    text: str = ""
    #: The ids of the article's section headings (h2 to h6).
    heading_ids: set[str] = field(default_factory=set)
    #: hreflang -> href of the language switch's links.
    alternates: dict[str, str] = field(default_factory=dict)
    #: The words a formula of the article writes as text (``\text{…}``: MathML's ``<mtext>``), one per
    #: element, outside what is English on purpose (the API reference's docstrings, ``lang="en"``).
    math_text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, bool, bool, bool]] = []  # (tag, skipped, in article, English on purpose)
        self.parts: list[str] = []
        self.mtext: list[str] | None = None  # the text of the <mtext> being read

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_article(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page.lang = attrs.get("lang") or ""
        if tag == "meta" and attrs.get("name") == "description":
            self.page.description = attrs.get("content") or ""
        if tag == "a" and attrs.get("hreflang"):
            self.page.alternates[attrs["hreflang"]] = attrs.get("href") or ""
        in_article = self.in_article or tag == "article"
        if in_article and tag in SECTION_HEADINGS and attrs.get("id"):
            self.page.heading_ids.add(attrs["id"])
        classes = set((attrs.get("class") or "").split())
        english = (attrs.get("lang") or "").lower().startswith("en") and tag != "html"
        skipped = self.skipping or tag in NOT_PROSE or bool(classes & NOT_PROSE_CLASSES) or english
        on_purpose = (bool(self.stack) and self.stack[-1][3]) or english or "doc" in classes
        if tag in BLOCKS:
            self.parts.append("\n")
        if skipped and not self.skipping and in_article:
            self.parts.append(HOLE)
        if tag == "mtext" and in_article and not on_purpose:
            self.mtext = []
        if tag not in VOID:
            self.stack.append((tag, skipped, in_article, on_purpose))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag == "mtext" and self.mtext is not None:
            self.page.math_text.append("".join(self.mtext))
            self.mtext = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.mtext is not None:
            self.mtext.append(data)
        if self.in_article and not self.skipping:
            self.parts.append(data.replace("\n", " "))  # a line break in the source reads as a space


def read_html(html: str) -> Page:
    """The language, description, article prose, heading ids and language links of one built page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).splitlines()]
    reader.page.text = "\n".join(line for line in lines if line)
    lines = (" ".join(line.replace(HOLE, "").split()) for line in lines)
    reader.page.prose = "\n".join(line for line in lines if line)
    return reader.page


def spaces_after_punctuation(text: str) -> list[str]:
    """Each space that follows full-width punctuation in ``text``, with the few characters around it.

    Chinese text sets no space after "，", "。", "：" and their kind: the punctuation carries its own
    white space. Such a space comes from a line break before Latin text, a space after a bold
    lead-in (``**结论：** …``) or two generated sentences joined with a space.
    """
    return [
        text[max(0, match.start() - 6) : match.end() + 6].replace(HOLE, "…")
        for match in SPACE_AFTER_PUNCTUATION.finditer(text)
    ]


def cjk_share(text: str) -> float:
    """CJK characters among the letters (CJK characters and Latin letters) of ``text``; 0 when it has none."""
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def english_in_math(page: Page) -> list[str]:
    """The words of ``page``'s formulas' text that are English and not in :data:`MATH_TEXT_WORDS`."""
    return [word for text in page.math_text for word in MATH_WORD.findall(text) if word not in MATH_TEXT_WORDS]


def english_runs(text: str, words: int = MAX_ENGLISH_RUN) -> list[str]:
    """Every run of at least ``words`` English words in ``text`` (blocks are lines; no run crosses one)."""
    pattern = re.compile(rf"(?:{ENGLISH_WORD}{WORD_GAP}){{{words - 1},}}{ENGLISH_WORD}")
    runs = (match.group().strip() for line in text.splitlines() for match in pattern.finditer(line))
    return [run for run in runs if run not in NAMES]
