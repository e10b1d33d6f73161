"""The site in two languages: every page has its Simplified Chinese twin, written in Chinese.

English pages are ``docs/X.md``, built at the site's root; their twins are ``docs/X.zh.md``,
built under ``zh/``. The file tests are cheap and run every day; the tests of the built HTML
(prose, heading ids, language switch) read the one build of the run (``conftest.py``) and are
``slow``. The browser test checks what a reader sees: math, the switch clicked, Chinese search.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from site_html import SITE_URL, chinese_language, docs_module, mkdocs_config, nav_entries, pages, read_page

from sitemarkdown.prose import MAX_ENGLISH_RUN, MIN_CJK_SHARE, cjk_share, english_runs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TWIN_SUFFIX = ".zh.md"


def _snippets() -> set[Path]:
    """Markdown files that other pages include with ``--8<--``: parts of pages, not pages."""
    included = set()
    for page in DOCS.rglob("*.md"):
        for name in re.findall(r'--8<--\s+"([^":]+\.md)', page.read_text(encoding="utf-8")):
            included.add((ROOT / name).resolve())
    return included


def _is_twin(path: Path) -> bool:
    return path.name.endswith(TWIN_SUFFIX)


def _markdown_pages() -> list[Path]:
    snippets = _snippets()
    return sorted(p for p in DOCS.rglob("*.md") if p.resolve() not in snippets)


def test_every_english_page_has_its_chinese_twin():
    pages = [p for p in _markdown_pages() if not _is_twin(p)]
    missing = [str(p.relative_to(DOCS)) for p in pages if not p.with_suffix(TWIN_SUFFIX).exists()]
    assert len(pages) >= 10, f"expected the whole site, found only {pages}"
    assert not missing, f"pages without their Chinese twin X.zh.md (write one for each): {missing}"


def test_every_chinese_page_has_its_english_page():
    orphans = [
        str(p.relative_to(DOCS))
        for p in _markdown_pages()
        if _is_twin(p) and not p.with_name(p.name[: -len(TWIN_SUFFIX)] + ".md").exists()
    ]
    assert not orphans, f"Chinese pages without the English page X.md they translate: {orphans}"


def test_every_page_in_the_nav_exists_in_both_languages():
    missing = []
    for _, name in nav_entries(mkdocs_config()["nav"]):
        if name is None:
            continue
        english = DOCS / name
        for path in (english, english.with_suffix(TWIN_SUFFIX)):
            if not path.exists():
                missing.append(str(path.relative_to(DOCS)))
    assert not missing, f"pages named in mkdocs.yml's nav that do not exist: {missing}"


def test_every_test_a_page_cites_exists_and_its_twin_cites_the_same():
    """A page that sends the reader to ``tests/test_x.py::test_name`` names a test that exists (a renamed test
    would leave a pointer to nothing), and its twin cites the same tests."""
    cited = {}
    for page in _markdown_pages():
        cited[page] = set(re.findall(r"(tests/test_\w+\.py)(?:::(\w+))?", page.read_text(encoding="utf-8")))
        for name, test in cited[page]:
            path = ROOT / name
            assert path.exists(), f"{page.relative_to(DOCS)} cites {name}, which does not exist"
            assert not test or re.search(rf"^def {test}\(", path.read_text(), re.MULTILINE), f"{name}::{test}"
    for page in cited:
        if _is_twin(page):
            english = page.with_name(page.name[: -len(TWIN_SUFFIX)] + ".md")
            assert cited[page] == cited.get(english, cited[page]), page.relative_to(DOCS)


def test_every_nav_title_has_a_chinese_title():
    """Every title in the nav has its Chinese title, except module names (``nn``, ``nn.gradcheck``), which stay
    as they are."""
    translations = chinese_language()["nav_translations"]
    untranslated = [
        title
        for title, _ in nav_entries(mkdocs_config()["nav"])
        if title and title not in translations and not all(part.isidentifier() for part in title.split("."))
    ]
    assert not untranslated, f"nav titles without a Chinese title in the zh language's nav_translations: {untranslated}"


def test_the_head_names_no_other_language_for_material_to_misread():
    """The hook drops the head's hreflang links (Material fetches a sitemap.xml under each) and keeps the rest."""
    hook = docs_module("language_links")
    head = (
        '<head>\n  <link rel="canonical" href="http://x/zh/a/">\n'
        '  <link rel="alternate" href="../../a/" hreflang="en">\n'
        '  <link rel="alternate" href="./" hreflang="zh">\n'
        '  <link rel="alternate" type="application/rss+xml" title="feed" href="feed.xml">\n</head>'
    )
    switch = '<body><a href="../../a/" hreflang="en" class="md-select__link">English</a></body>'
    out = hook.drop_head_alternates(head + switch)
    assert "hreflang" not in out.partition("</head>")[0]
    assert 'rel="canonical"' in out
    assert "application/rss+xml" in out
    assert out.endswith(switch)


# The built site: one build per test run, shared with the browser test.


@pytest.fixture(scope="module")
def twins(built_site) -> dict[str, tuple[Path, Path]]:
    """English page path -> (its built HTML, its Chinese twin's built HTML)."""
    built = pages(built_site)
    english = [path for path in built if not path.startswith("zh/")]
    assert len(english) >= 10, f"expected the whole site, found only {english}"
    missing = [path for path in english if f"zh/{path}" not in built]
    assert not missing, f"built pages without a Chinese twin under zh/: {missing}"
    return {path: (built[path], built[f"zh/{path}"]) for path in english}


def _is_reference(path: str) -> bool:
    return path.startswith("reference/")


@pytest.mark.slow
def test_every_chinese_page_is_mostly_chinese_prose(twins):
    """At least 0.4 (``MIN_CJK_SHARE``) of the letters in each Chinese page's prose are CJK characters.

    Prose is the article's text without code, math, drawings and (on the API reference) the
    docstrings; letters are CJK characters and Latin letters (``sitemarkdown.prose.cjk_share``). Measured
    on the built site: English pages (and a Chinese page left in English) give 0.000-0.003; the
    activations page with its own prose in Chinese but its derivations' prose still in English,
    0.16; the Chinese lines of that page alone, 0.61; the terminology page, 0.64; the five Chinese
    blog posts the site grew from, 0.62-0.79 for the three that are mostly prose (symbols and the
    names of activations and libraries stay Latin in Chinese technical writing). 0.4 fails a page
    left in English or half translated, and leaves a Chinese page room for many Latin names.
    """
    shares = {f"zh/{path}": cjk_share(read_page(chinese).prose) for path, (_, chinese) in twins.items()}
    english = {path: round(share, 3) for path, share in shares.items() if share < MIN_CJK_SHARE}
    assert not english, (
        f"Chinese pages whose prose is not mostly Chinese (share of CJK characters among letters, "
        f"bound {MIN_CJK_SHARE}): {english}"
    )


#: A Chinese character touching a Latin letter or digit, which the Chinese pages always part by a space ("第 7 步").
CJK_TOUCHES_LATIN = re.compile(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]")


def chinese_prose(text: str) -> str:
    """A Chinese page's Markdown as its reader sees the words: no code, math, quoted titles (《…》 keep the post's
    own spelling), tags, link targets, heading ids or emphasis marks, each line break joined as the build joins it."""
    for pattern, by in (
        (r"```.*?```", " "), (r"`[^`\n]*`", "``"), (r"\\\(.*?\\\)|\\\[.*?\\\]", "⟨⟩"), (r"《[^》]*》", "《》"),
        (r"<[^>]+>", " "), (r"\]\([^)]*\)", ""), (r"\{#[^}]*\}", ""), (r"[\[*]", ""),
    ):  # fmt: skip
        text = re.sub(pattern, by, text, flags=re.DOTALL)
    return re.sub(r"(?<=[\u4e00-\u9fff，。；：、）])\n[ \t]*(?=[\u4e00-\u9fff])", "", text)


def test_chinese_prose_parts_a_chinese_character_from_latin_by_a_space():
    """A link or an emphasis that starts with a Latin word right after a Chinese character ('通不过[m 个样本的推导]')
    renders as '通不过m 个样本'; every Chinese page writes the space the others write."""
    assert CJK_TOUCHES_LATIN.search(chinese_prose("这样的代码也通不过[m 个样本的推导](#x)。"))
    assert CJK_TOUCHES_LATIN.search(chinese_prose("证明，\n像[Adam 的偏差修正](o.md)"))
    assert not CJK_TOUCHES_LATIN.search(chinese_prose("第 7 步，见 [m 个样本](#x) 与 \\(W\\) 和 `np.dot`。"))
    found = {}
    for path in DOCS.rglob("*.zh.md"):
        prose = chinese_prose(path.read_text(encoding="utf-8"))
        hits = [prose[max(0, at.start() - 8) : at.end() + 8] for at in CJK_TOUCHES_LATIN.finditer(prose)]
        if hits:
            found[str(path.relative_to(DOCS))] = hits
    assert not found, f"a Chinese character and a Latin letter or digit with no space between: {found}"


@pytest.mark.slow
def test_no_english_sentence_is_left_in_chinese_prose(twins):
    """No Chinese page's prose holds a run of ``MAX_ENGLISH_RUN`` English words or more."""
    left = {}
    for path, (_, chinese) in twins.items():
        runs = english_runs(read_page(chinese).prose, MAX_ENGLISH_RUN)
        if runs:
            left[f"zh/{path}"] = f"{len(runs)} runs, first: {runs[0]!r}"
    assert not left, f"English sentences in Chinese prose (runs of ≥ {MAX_ENGLISH_RUN} English words): {left}"


@pytest.mark.slow
def test_twins_have_the_same_heading_ids(twins):
    """A link ``page.md#anchor`` works in both languages: each pair of twins has the same section ids.

    Give a translated heading the English one's id explicitly: ``## 输出层 {#output-layer}``. The
    page title (h1) is left out: a link to it is a link to the page, without an anchor.
    """
    differ = {}
    assert sum(len(read_page(english).heading_ids) for english, _ in twins.values()) >= 50, "headings not found"
    for path, (english, chinese) in twins.items():
        en, zh = read_page(english).heading_ids, read_page(chinese).heading_ids
        if en != zh:
            differ[path or "home"] = {"only in English": sorted(en - zh), "only in Chinese": sorted(zh - en)}
    assert not differ, f"twins whose heading ids differ: {differ}"


@pytest.mark.slow
def test_the_language_switch_links_each_page_to_its_twin(twins):
    wrong = {}
    for path, (english, chinese) in twins.items():
        for here, there, html in ((path, f"zh/{path}", english), (f"zh/{path}", path, chinese)):
            alternates = read_page(html).alternates
            other = "zh" if here == path else "en"
            target = urljoin(SITE_URL + here, alternates.get(other, "")) if other in alternates else None
            if target != SITE_URL + there:
                wrong[here or "home"] = f"hreflang={other} link goes to {target}, not to {SITE_URL + there}"
    assert not wrong, f"language switch links that miss the page's twin: {wrong}"


@pytest.mark.slow
def test_each_page_has_its_own_description_in_its_language(twins):
    """A page's meta description is its own first paragraph; only a page with none keeps the site's."""
    for side in (0, 1):
        descriptions = [read_page(pair[side]).description for pair in twins.values()]
        shared = {text for text in descriptions if descriptions.count(text) > 1}
        assert len(shared) <= 1, f"descriptions used by several pages: {sorted(shared)}"
        assert descriptions.count(next(iter(shared), None)) <= 3, "most pages should describe themselves"


@pytest.mark.slow
def test_each_page_declares_its_language(twins):
    wrong = {}
    for path, (english, chinese) in twins.items():
        en, zh = read_page(english).lang, read_page(chinese).lang
        if en != "en":
            wrong[path or "home"] = f'<html lang="{en}">, expected "en"'
        if zh not in {"zh", "zh-CN", "zh-Hans"}:
            wrong[f"zh/{path}"] = f'<html lang="{zh}">, expected "zh", "zh-CN" or "zh-Hans"'
    assert not wrong, f"pages declaring the wrong language: {wrong}"


@pytest.mark.slow
def test_each_language_has_its_404_page_whose_switch_leads_home(built_site):
    """/404.html is English and /zh/404.html Chinese (the build checks their twins and descriptions)."""
    for path, lang in (("404.html", "en"), ("zh/404.html", "zh")):
        page = read_page(built_site / path)
        assert page.lang == lang, f"{path}: <html lang={page.lang!r}>"
        assert page.alternates == {"en": "/", "zh": "/zh/"}, f"{path}: the switch leads to {page.alternates}"
        assert (cjk_share(page.description) > MIN_CJK_SHARE) == (lang == "zh"), f"{path}: {page.description!r}"


#: Ways of telling the project's own history ("was refused before", "now splits") where a page should say what
#: the reader gets: each pattern matched a sentence once, in one language or the other.
HISTORY = re.compile(
    r"refused before this|read differently now|the steps it always took|\bused to (?:make|read|refuse|print)\b"
    r"|以前接受|与以前完全相同|以前的反向传播|现在由下面"
    r"|Until this version|the former converter|has not been rerun since"
    r"|在此之前本站用的是|以前用的转换器|此后没有重新运行"
)


def test_no_page_tells_the_projects_history_for_what_it_does():
    found = [
        f"{path.relative_to(DOCS)}: {match[0]!r}"
        for path in sorted(DOCS.rglob("*.md"))
        for match in HISTORY.finditer(" ".join(path.read_text(encoding="utf-8").split()))
    ]
    assert not found, found
