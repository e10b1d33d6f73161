"""The in-browser playground in headless Chromium, network cut: the derive page and the exercise boxes, both languages.

The first click loads Pyodide, SymPy and the project's ``derivations`` from the site itself (about 20 MB);
the tests wait for that, then check the contract of the page (``#derive-input``, ``#derive-button``,
``#derive-output`` with ``data-status`` done or error; ``.exercise`` boxes with correct, wrong,
undecided or error). The cold and warm times are printed (``pytest -s``) for the performance page. The service
worker's cache is checked too: another page restores the snapshot kept there, a snapshot that does not
restore and one whose Python fails fatally on its first use give way to a normal start, a start that could
not fetch a file is retried by the next press (and so is the page's own look at the manifest), and a new
build deletes an older build's cache.
"""

from __future__ import annotations

import json
import time

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, Visit, browser, open_page, site  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

LANGUAGES = ("", "zh/")
#: the first run downloads and imports everything: generous, the machine may be loaded
COLD_LIMIT_MS = 240_000
WARM_LIMIT_MS = 60_000
#: each bad input, and the words of its message in each language (the rule it breaks, and the culprit)
BAD_INPUTS = {
    "__import__('os')": {"": ("unknown name", "__import__"), "zh/": ("未知的名字", "__import__")},
    "lambda: 1": {"": ("not allowed", "lambda"), "zh/": ("不允许", "lambda")},
    "z+" * 5000 + "z": {"": ("characters long", "10001"), "zh/": ("个字符", "10001")},
    # typed with a Chinese input method: read as ASCII first, and the message says so
    "ｚ（1 − z）": {"": ("was read as", "'z(1 - z)'"), "zh/": ("读作", "'z(1 - z)'")},
}


def run(page, selector: str, limit_ms: int) -> tuple[str, float]:
    """Click ``selector``'s button and wait for the output's ``data-status``; return it and the seconds taken."""
    start = time.perf_counter()
    page.click("#derive-button")
    page.wait_for_selector(f"{selector}[data-status]", timeout=limit_ms)
    return page.get_attribute(selector, "data-status"), time.perf_counter() - start


def build(site) -> dict:  # noqa: F811
    """The built playground's manifest: its ``version``, and ``cache``, the name of its service worker's cache."""
    return json.loads((site.directory / "playground" / "manifest.json").read_text())


@pytest.fixture(autouse=True)
def _playground_is_served(site):  # noqa: F811
    if not build(site)["available"]:
        pytest.fail(
            "the site was built without Pyodide: docs/playground.py could not fetch it (see its note; needs npm)"
        )


@pytest.fixture
def recorded(browser):  # noqa: F811
    """``recorded(path)``: a page that records errors and aborts requests off 127.0.0.1; closed after the test."""
    opened = []

    def make(path: str):
        visit = Visit(path)
        context, page = open_page(browser, visit)
        opened.append(context)
        return visit, page

    yield make
    for context in opened:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_activation_derives_and_the_second_run_is_fast(recorded, site, language):  # noqa: F811
    visit, page = recorded(f"{language}derive/")
    page.goto(site.url + visit.path)
    page.fill("#derive-input", "z * exp(-z**2)")
    status, cold = run(page, "#derive-output", COLD_LIMIT_MS)
    assert status == "done", page.inner_text("#derive-output")
    assert page.locator("#derive-output math msup mi", has_text="g").count() >= 1, "g′ is not shown as MathML"
    assert page.locator("#derive-output li[data-holds='true']").count() >= 3
    assert page.locator("#derive-output li[data-holds='false']").count() == 0
    page.fill("#derive-input", "z / (2 + z**2)")
    status, warm = run(page, "#derive-output", WARM_LIMIT_MS)
    assert status == "done"
    print(f"\nplayground {language or 'en/'}: cold {cold:.1f} s, warm {warm:.2f} s")
    assert warm * 5 <= cold, f"the second run ({warm:.2f} s) is not 5× faster than the first ({cold:.1f} s)"
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit


@pytest.fixture
def reader(browser, tmp_path):  # noqa: F811
    """``reader(path)``: a page in a reader's own browser profile, recording as ``recorded`` does.

    Not off the record, unlike the other tests' contexts: a reader's browser keeps the code it compiles
    from pyodide.asm.wasm with the service worker's cache entry, and the next pages start from it.
    """
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )

    def make(path: str):
        visit = Visit(path)
        return visit, open_page(browser, visit, context)[1]

    yield make
    context.close()


#: the playground's service worker cache's keys, by cache name (the page can read them: same origin)
CACHED_JS = """async () => Object.fromEntries(await Promise.all((await caches.keys()).map(async (name) =>
  [name, (await (await caches.open(name)).keys()).map((request) => request.url)])))"""
#: the stages the page has marked (``performance.mark``), in order: which way its worker started Python
STAGES_JS = "performance.getEntriesByType('mark').map((mark) => mark.name)"
#: the size of the snapshot the worker keeps in its build's cache, or 0 while there is none
SNAPSHOT_SIZE_JS = """async ([cache, url]) => {
  const kept = await (await caches.open(cache)).match(url);
  return kept ? (await kept.arrayBuffer()).byteLength : 0;
}"""


def stored_snapshot(page, site, other_than: int = 0) -> int:  # noqa: F811
    """Wait until the worker has stored a snapshot (of a size other than ``other_than``) and return its size.

    The worker stores it after its first answer, which the page shows first."""
    manifest = build(site)
    where = [manifest["cache"], f"{site.url}playground/snapshot-{manifest['version']}.bin"]
    for _ in range(600):
        size = page.evaluate(SNAPSHOT_SIZE_JS, where)
        if size not in (0, other_than):
            return size
        time.sleep(0.1)
    raise AssertionError(f"no new snapshot was stored in {where[0]} within a minute (size {size})")


def derived(page, text: str, limit_ms: int) -> list[str]:
    """Derive ``text`` on ``page``, a derive page: it must be done with every step holding. Returns the stages
    the page marked, which tell how its worker got its Python."""
    page.fill("#derive-input", text)
    assert run(page, "#derive-output", limit_ms)[0] == "done", page.inner_text("#derive-output")
    assert page.locator("#derive-output li[data-holds='true']").count() >= 3
    assert page.locator("#derive-output li[data-holds='false']").count() == 0
    return page.evaluate(STAGES_JS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_another_page_restores_python_from_the_service_workers_cache(reader, site, language):  # noqa: F811
    """A derivation on /derive/ (cold: Python boots, SymPy is imported), then one on the other language's
    derive page: its worker restores the snapshot the first one stored, from the files the service worker
    keeps, instead of booting Python again. Both times are printed (``pytest -s``); the benchmark
    reports them."""
    visit, page = reader(f"{language}derive/")
    page.goto(site.url + visit.path)
    page.fill("#derive-input", "z * exp(-z**2)")
    status, cold = run(page, "#derive-output", COLD_LIMIT_MS)
    assert status == "done", page.inner_text("#derive-output")
    manifest = build(site)
    version, wasm = manifest["version"], manifest["pyodide"].replace("pyodide.mjs", "pyodide.asm.wasm")
    snapshot = f"{site.url}playground/snapshot-{version}.bin"
    stored_snapshot(page, site)
    cached = page.evaluate(CACHED_JS)
    assert list(cached) == [f"playground-{version}"], cached
    assert snapshot in cached[f"playground-{version}"], cached
    assert f"{site.url}playground/{wasm}" in cached[f"playground-{version}"]
    page.goto(f"{site.url}{'' if language else 'zh/'}derive/")
    page.fill("#derive-input", "z / (2 + z**2)")
    status, other = run(page, "#derive-output", WARM_LIMIT_MS)
    assert status == "done", page.inner_text("#derive-output")
    stages = page.evaluate(STAGES_JS)
    assert "playground restore" in stages, stages  # not booted again
    print(f"\nplayground {language or 'en/'}: cold {cold:.1f} s, first use on another page {other:.2f} s")
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit


#: cuts the stored snapshot to its first half, header and all: Pyodide's checks of it (magic number,
#: its build id, the JavaScript state) pass, and the restore fails on the memory that is missing
TRUNCATE_JS = """async ([cache, url]) => {
  const kept = await caches.open(cache);
  const bytes = new Uint8Array(await (await kept.match(url)).arrayBuffer());
  const half = bytes.slice(0, (bytes.length >> 3) << 2);
  await kept.put(url, new Response(half));
  return half.length;
}"""


def test_a_snapshot_that_does_not_restore_is_replaced_by_a_normal_start(recorded, site):  # noqa: F811
    """The snapshot the first page stored, cut short: the next page's worker tries it, fails, boots Python
    and imports SymPy as the first page did, answers, and stores a good snapshot in its place, which a
    third page restores."""
    visit, page = recorded("derive/")
    page.goto(site.url + visit.path)
    page.fill("#derive-input", "z * exp(-z**2)")
    assert run(page, "#derive-output", COLD_LIMIT_MS)[0] == "done", page.inner_text("#derive-output")
    manifest = build(site)
    whole = stored_snapshot(page, site)
    cut = page.evaluate(TRUNCATE_JS, [manifest["cache"], f"{site.url}playground/snapshot-{manifest['version']}.bin"])
    assert cut < whole
    assert stored_snapshot(page, site) == cut  # the worker will read this one

    page.goto(f"{site.url}zh/derive/")
    stages = derived(page, "z / (2 + z**2)", COLD_LIMIT_MS)
    assert stages.index("playground restore") < stages.index("playground interpreter"), stages
    assert "playground import" in stages, stages  # SymPy imported anew: nothing came from the snapshot
    assert stored_snapshot(page, site, other_than=cut) > cut  # a whole one, made by the new start

    page.goto(f"{site.url}derive/")
    page.fill("#derive-input", "tanh(z)**2")
    assert run(page, "#derive-output", WARM_LIMIT_MS)[0] == "done", page.inner_text("#derive-output")
    stages = page.evaluate(STAGES_JS)
    assert "playground restore" in stages, stages
    assert "playground interpreter" not in stages, stages  # restored, not booted
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit


#: a snapshot that restores but whose Python fails on its first call, stored where the worker looks for this
#: build's snapshot: an interpreter started as the worker starts one for a snapshot, in which
#: derivations.playground is a module whose derive reads far beyond the interpreter's memory. In WebAssembly
#: that is a trap, every time, which Pyodide reports as a fatal error; after it the interpreter refuses
#: every call. Returns the snapshot's size.
BROKEN_SNAPSHOT_JS = """async ([pyodide, cache, url]) => {
  const { loadPyodide } = await import(pyodide);
  const python = await loadPyodide({ indexURL: pyodide.replace(/[^/]*$/, ""), _makeSnapshot: true });
  python.runPython(`
import ctypes, sys, types
package, module = types.ModuleType("derivations"), types.ModuleType("derivations.playground")
module.derive = lambda *args: ctypes.string_at(0xFFFFFF00, 64)
package.playground = module
sys.modules.update({"derivations": package, "derivations.playground": module})
`);
  const bytes = python.makeMemorySnapshot();
  await (await caches.open(cache)).put(url, new Response(bytes));
  return bytes.length;
}"""


def test_a_snapshot_whose_python_fails_on_first_use_is_replaced_by_a_normal_start(browser, recorded, site):  # noqa: F811
    """A stored snapshot that restores but whose first derivation is a Pyodide fatal error: the worker drops
    that interpreter, deletes the snapshot, boots Python and imports SymPy as the first time, answers the
    same request, and stores a good snapshot, which the next page restores."""
    manifest = build(site)
    where = [f"{site.url}playground/{manifest['pyodide']}", manifest["cache"]]
    where.append(f"{site.url}playground/snapshot-{manifest['version']}.bin")
    visit, page = recorded("derive/")
    page.goto(site.url + visit.path)
    broken = page.evaluate(BROKEN_SNAPSHOT_JS, where)
    assert stored_snapshot(page, site) == broken  # the worker will read this one

    page.goto(site.url + visit.path)  # a new page: the interpreter that made the snapshot is gone
    stages = derived(page, "z * exp(-z**2)", COLD_LIMIT_MS)
    # the snapshot restored and took the call, then Python booted and imported SymPy anew
    assert stages.index("playground restore") < stages.index("playground running"), stages
    assert stages.index("playground running") < stages.index("playground interpreter"), stages
    assert "playground import" in stages, stages
    assert any("fatal error" in error for error in visit.console_errors), visit  # Pyodide's own report of it
    assert not visit.page_errors, visit
    assert stored_snapshot(page, site, other_than=broken) != broken  # a new one, made by the new start

    other = Visit("zh/derive/")  # the next page, in the same browser profile
    page = open_page(browser, other, page.context)[1]
    page.goto(site.url + other.path)
    stages = derived(page, "tanh(z)**2", WARM_LIMIT_MS)
    assert "playground restore" in stages, stages
    assert "playground interpreter" not in stages, stages  # restored, not booted
    assert not visit.external_requests + other.external_requests, (visit, other)
    assert not other.console_errors + other.page_errors, other


#: files the worker fetches as it starts, and where the build puts them: the manifest first; then Pyodide's
#: WebAssembly, which Python boots from, and meanwhile SymPy's archive (through the service worker)
STARTING_FILES = {
    "manifest": lambda manifest: "manifest.json",
    "wasm": lambda manifest: manifest["pyodide"].replace("pyodide.mjs", "pyodide.asm.wasm"),
    "sympy": lambda manifest: next(archive for archive in manifest["archives"] if "sympy" in archive),
}


@pytest.mark.parametrize("file", STARTING_FILES)
def test_a_start_that_could_not_fetch_a_file_is_retried_by_the_next_press(recorded, site, file):  # noqa: F811
    """The worker's first fetch of one of its files fails, as when the connection drops for a moment: that
    press ends in an error; the next press on the same page, with the connection back, starts Python afresh
    and derives, without a reload."""
    visit, page = recorded("derive/")
    with page.expect_response(f"{site.url}playground/manifest.json"):  # the page's own look at it goes through
        page.goto(site.url + visit.path)
    url = f"{site.url}playground/{STARTING_FILES[file](build(site))}"
    dropped = []

    def drop_once(route):
        if dropped:
            route.fallback()
        else:
            dropped.append(route.request.url)
            route.abort()

    page.context.route(url, drop_once)  # the context's: it also sees the service worker's requests
    page.fill("#derive-input", "z * exp(-z**2)")
    status, _ = run(page, "#derive-output", COLD_LIMIT_MS)
    message = page.inner_text("#derive-output")
    assert status == "error", message
    assert "The playground failed:" in message, message
    assert dropped == [url], dropped
    derived(page, "z * exp(-z**2)", COLD_LIMIT_MS)
    assert not visit.external_requests, visit.external_requests
    assert not visit.page_errors, visit  # the console does report the dropped request


def test_a_manifest_the_page_could_not_fetch_is_fetched_again_by_the_next_press(recorded, site):  # noqa: F811
    """The page's own look at the manifest, made as it loads, fails while a press waits for it (the connection
    dropped for a moment): the press says the file could not be fetched, not that the site was built without
    the playground; the next press fetches the manifest again and derives, without a reload."""
    visit, page = recorded("derive/")
    url = f"{site.url}playground/manifest.json"
    held = []
    page.route(url, lambda route: route.fallback() if held else held.append(route))
    page.goto(site.url + visit.path)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the page did not ask for the manifest as it loaded"
    page.fill("#derive-input", "z * exp(-z**2)")
    page.click("#derive-button")
    assert "Loading the playground" in page.inner_text("#derive-output")  # the press waits for the manifest
    held[0].abort()
    page.wait_for_selector("#derive-output[data-status]")
    message = page.inner_text("#derive-output")
    assert page.get_attribute("#derive-output", "data-status") == "error", message
    assert "could not fetch its file manifest.json" in message, message
    assert "unavailable" not in message, message
    derived(page, "z * exp(-z**2)", COLD_LIMIT_MS)
    assert len(held) == 1, held
    assert not visit.external_requests, visit.external_requests
    assert not visit.page_errors, visit  # the console does report the dropped request


#: how the page's look at the manifest goes: the request is dropped, or the manifest says the site was built
#: without the playground; and the words the derive page then shows, in each language
MANIFEST_LOOKS = {
    "dropped": (lambda route: route.abort(), {"": "could not fetch its file manifest.json", "zh/": "没能获取"}),
    "built without": (lambda route: route.fulfill(json={"available": False}), {"": "unavailable", "zh/": "不可用"}),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("look", MANIFEST_LOOKS)
def test_as_it_loads_the_page_tells_a_dropped_manifest_from_a_site_built_without_the_playground(
    recorded,
    site,  # noqa: F811
    look,
    language,
):
    """Every look at the manifest is dropped, or the manifest says the site was built without the playground:
    as it loads, the page says which, in its language (a dropped one, that a press tries again)."""
    visit, page = recorded(f"{language}derive/")
    answer, words = MANIFEST_LOOKS[look]
    page.route(f"{site.url}playground/manifest.json", answer)
    page.goto(site.url + visit.path)
    page.wait_for_selector("#derive-output .playground-error")
    message = page.inner_text("#derive-output")
    assert words[language] in message, message
    for other, (_, other_words) in MANIFEST_LOOKS.items():
        assert other == look or other_words[language] not in message, message
    assert not visit.external_requests + visit.page_errors, visit


#: an older build's cache, as its service worker named it: a file this build shares with it (kept as the
#: site serves it, marked so that its copy can be told apart) and that build's snapshot; and a cache that
#: is not the playground's
OLD_CACHES_JS = """async ([old, shared, snapshot]) => {
  const served = await fetch(shared);
  const headers = new Headers(served.headers);
  headers.set("x-cached-by", "an older build");
  const cache = await caches.open(old);
  await cache.put(shared, new Response(await served.blob(), { headers }));
  await cache.put(snapshot, new Response(new Uint8Array(1024)));
  await (await caches.open("not-the-playground")).put(shared, new Response("{}"));
}"""


def test_the_service_worker_of_a_new_build_deletes_the_old_builds_cache(recorded, site):  # noqa: F811
    """A reader whose browser holds an older build's cache: the first Derive registers this build's
    service worker, which copies the shared file into its own cache and deletes the old cache with its
    snapshot; a cache of another name stays."""
    visit, page = recorded("derive/")
    page.goto(site.url + visit.path)
    manifest = build(site)
    old = "playground-000000000000"
    assert manifest["cache"] != old
    shared = f"{site.url}playground/{manifest['pyodide'].replace('pyodide.mjs', 'pyodide-lock.json')}"
    page.evaluate(OLD_CACHES_JS, [old, shared, f"{site.url}playground/snapshot-000000000000.bin"])
    assert old in page.evaluate("caches.keys()")
    page.fill("#derive-input", "z * exp(-z**2)")
    assert run(page, "#derive-output", COLD_LIMIT_MS)[0] == "done", page.inner_text("#derive-output")
    for _ in range(100):  # the worker may start before the service worker has finished (see register())
        cached = page.evaluate(CACHED_JS)
        if old not in cached:
            break
        time.sleep(0.1)
    assert sorted(cached) == sorted([manifest["cache"], "not-the-playground"]), cached
    assert shared in cached[manifest["cache"]], cached
    assert not any("snapshot-000000000000" in url for url in cached[manifest["cache"]]), cached
    copied = page.evaluate(
        "async ([cache, url]) => (await (await caches.open(cache)).match(url)).headers.get('x-cached-by')",
        [manifest["cache"], shared],
    )
    assert copied == "an older build"  # copied over from the old cache, not downloaded again
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_input_ends_in_a_clear_error_and_the_page_stays_responsive(recorded, site, language):  # noqa: F811
    visit, page = recorded(f"{language}derive/")
    page.goto(site.url + visit.path)
    for text, messages in BAD_INPUTS.items():
        words, culprit = messages[language]
        page.fill("#derive-input", text)
        status, _ = run(page, "#derive-output", COLD_LIMIT_MS)
        message = page.inner_text("#derive-output")
        assert status == "error", message
        assert words in message, message
        assert culprit in message, message
        if language:  # the Chinese page says it in Chinese, not in Python's or the English page's words
            assert messages[""][0] not in message, message
        assert page.evaluate("1 + 1") == 2  # the page's own thread is free
    page.fill("#derive-input", "tanh(z)**2")
    assert run(page, "#derive-output", WARM_LIMIT_MS)[0] == "done"
    assert not visit.console_errors + visit.page_errors, visit


def judged(page, box, answer: str, limit_ms: int) -> str:
    """Type ``answer`` into exercise ``box``, press Check and return the verdict's ``data-status``."""
    output = box.locator(".exercise-output")
    box.locator("input").fill(answer)
    box.locator("button.exercise-check").click()
    page.wait_for_function(
        "(o) => o.dataset.status && !o.querySelector('.playground-progress')",
        arg=output.element_handle(),
        timeout=limit_ms,
    )
    return output.get_attribute("data-status")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_exercise_marks_a_right_answer_correct_and_a_wrong_one_wrong(recorded, site, language):  # noqa: F811
    """And one SymPy neither proves nor tells apart at a point (max(0, a − 10) is 0 for |a| < 1) undecided, as is
    one SymPy proves only by cancelling a division by a − cos(a), which it neither proves nonzero nor finds 0;
    answers typed with typographic symbols or numpy's calls (derivations.typed) are judged as their ASCII spelling."""
    visit, page = recorded(f"{language}activations/")
    page.goto(site.url + visit.path)
    box = page.locator(".exercise[data-exercise='tanh-prime']")
    output = box.locator(".exercise-output")
    for answer, expected, limit in (
        ("1 - a", "wrong", COLD_LIMIT_MS),
        ("(1 - a)*(1 + a)", "correct", WARM_LIMIT_MS),
        ("1 - a**2 + max(0, a - 10)", "undecided", WARM_LIMIT_MS),
        ("1 - a**2*(a - cos(a))/(a - cos(a))", "undecided", WARM_LIMIT_MS),  # a division SymPy cannot decide
        ("１ − ａ²", "correct", WARM_LIMIT_MS),  # full-width, a minus sign and a superscript, as copied
        ("a ⊙ (1 – a)", "wrong", WARM_LIMIT_MS),
        ("np.multiply(1 - a, 1 + a)", "correct", WARM_LIMIT_MS),  # a numpy call, read by its own rewrite
    ):
        assert judged(page, box, answer, limit) == expected, output.inner_text()
        if "cos" in answer:  # the message names the divisor, in the page's language
            assert (
                "无法判定：答案除以 'a - cos(a)'" if language else "Undecided: the answer divides by 'a - cos(a)'"
            ) in (output.inner_text())
        assert "<mi>a</mi><mn>2</mn>" not in output.inner_html(), "the answer 1 − a² must stay hidden until asked"
    box.locator("button.exercise-reveal").click()
    page.wait_for_function("(o) => o.dataset.status === 'shown'", arg=output.element_handle(), timeout=WARM_LIMIT_MS)
    assert "<mi>a</mi><mn>2</mn>" in output.inner_html()
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_db_exercise_reads_numpys_sums_as_numpy_computes_them(recorded, site, language):  # noqa: F811
    """The course's db = np.sum(dZ, axis=1, keepdims=True) / m is right; axis=0 and a sum without keepdims are
    wrong by the shape numpy gives them, named in the docs' notation; numpy's entrywise exp is refused."""
    visit, page = recorded(f"{language}linear-layer/")
    page.goto(site.url + visit.path)
    box = page.locator(".exercise[data-exercise='db-m-samples']")
    output = box.locator(".exercise-output")
    shape = {"": "but db[l] is (n[l], 1)", "zh/": "而 db[l] 的维度是 (n[l], 1)"}[language]
    for answer, expected, words, limit in (
        ("np.sum(dZ, axis=1, keepdims=True) / m", "correct", None, COLD_LIMIT_MS),
        ("np.sum(dZ, axis=0, keepdims=True) / m", "wrong", ("(1, m)", shape, "axis=1"), WARM_LIMIT_MS),
        ("dZ.sum(axis=1) / m", "wrong", ("(n[l],)", shape, "keepdims=True"), WARM_LIMIT_MS),
        ("np.sum(dZ, axis=1, keepdims=True)", "wrong", None, WARM_LIMIT_MS),
        ("np.exp(dZ)", "error", ("np.exp",), WARM_LIMIT_MS),
    ):
        assert judged(page, box, answer, limit) == expected, output.inner_text()
        if "cos" in answer:  # the message names the divisor, in the page's language
            assert (
                "无法判定：答案除以 'a - cos(a)'" if language else "Undecided: the answer divides by 'a - cos(a)'"
            ) in (output.inner_text())
        for word in words or ():
            assert word in output.inner_text(), (answer, output.inner_text())
    box.locator("button.exercise-reveal").click()
    page.wait_for_function("(o) => o.dataset.status === 'shown'", arg=output.element_handle(), timeout=WARM_LIMIT_MS)
    assert "np.sum(dZ, axis=1, keepdims=True)" in output.inner_text()
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit


#: every text the output shows, in order: recorded from the moment the observer is attached
SHOWN_JS = """(output) => {
  window.shown = [];
  new MutationObserver(() => window.shown.push(output.innerText)).observe(output, { childList: true, subtree: true });
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_box_pressed_while_python_is_loading_shows_each_stage_of_that_start(recorded, site, language):  # noqa: F811
    """Two boxes pressed one after the other: the second waits for the start the first began, and is told its
    stages (loading Python, SymPy, importing it), not only that the playground is loading."""
    visit, page = recorded(f"{language}activations/")
    page.goto(site.url + visit.path)
    first, second = (page.locator(f".exercise[data-exercise='{key}']") for key in ("tanh-prime", "sigmoid-prime"))
    output = second.locator(".exercise-output")
    page.evaluate(SHOWN_JS, output.element_handle())
    first.locator("input").fill("1 - a**2")
    second.locator("input").fill("a*(1 - a)")
    first.locator("button.exercise-check").click()
    second.locator("button.exercise-check").click()
    for box in (first, second):
        page.wait_for_function(
            "(o) => o.dataset.status && !o.querySelector('.playground-progress')",
            arg=box.locator(".exercise-output").element_handle(),
            timeout=COLD_LIMIT_MS,
        )
        assert box.locator(".exercise-output").get_attribute("data-status") == "correct", box.inner_text()
    words = {
        "": ("Loading Python", "Loading SymPy", "Importing SymPy"),
        "zh/": ("正在加载 Python", "正在加载 SymPy", "正在导入 SymPy"),
    }[language]
    shown = page.evaluate("window.shown")
    stages = [word for word in words if any(text.startswith(word) for text in shown)]
    assert len(stages) >= 2, f"the second box was told {shown}"
    assert not visit.external_requests, visit.external_requests
    assert not visit.console_errors + visit.page_errors, visit
