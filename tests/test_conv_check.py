"""check_conv and check_pool on course-style code: correct code passes, each known mistake is named."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from course_conv_code import conv_backward, conv_forward, pool_backward, pool_forward
from hypothesis import given, settings
from hypothesis import strategies as st
from support import assert_diagnosed, assert_diagnosis_line, diagnosis_line, joined, page_text

from nn import conv
from nn.gradcheck import GradientShapeError, check_conv, check_pool, mistakes

#: check-your-own in each language, each paragraph on one line
PAGE = {lang: joined((Path(__file__).resolve().parents[1] / "docs" / name).read_text(), lang)
        for lang, name in (("en", "check-your-own.md"), ("zh", "check-your-own.zh.md"))}  # fmt: skip

CONV_CASES = [  # (the learner's mistake, how it is checked, the known mistake the diagnosis must name)
    ("no-stride", lambda mk: check_conv(conv_forward, conv_backward(mk)), "conv-backward-ignores-stride"),
    ("assign-dA", lambda mk: check_conv(conv_forward, conv_backward(mk)), "conv-dA-assigned"),
    ("assign-dW", lambda mk: check_conv(conv_forward, conv_backward(mk)), "conv-dW-assigned"),
    ("assign-db", lambda mk: check_conv(conv_forward, conv_backward(mk)), "conv-db-assigned"),
    ("assign-dA-dW-db", lambda mk: check_conv(conv_forward, conv_backward(mk)), "conv-dA-dW-db-assigned"),
    ("assign", lambda mk: check_pool(pool_forward, pool_backward(mk)), "pool-overlap-assigned"),
    ("no-1/f2", lambda mk: check_pool(pool_forward, pool_backward(mk), mode="average"), "pool-average-missing-1/f²"),
    ("all-ties", lambda mk: check_pool(pool_forward, pool_backward(mk)), "pool-max-mask-takes-ties"),
]


def test_every_known_conv_and_pool_mistake_has_a_case():
    covered = (
        {name for *_, name in CONV_CASES} | {"conv-dA-not-unpadded"} | {named for *_, named in SIZE_CASES if named}
    )
    assert covered == {m.name for m in mistakes.MISTAKES if m.file == "nn/conv.py"}


#: What the pages' lists of mistakes say the check reports beyond the name: the rows that fail, and a hint
FAILING = {
    "conv-backward-ignores-stride": ["A_prev", "W"],  # db is a sum of dZ wherever the windows are
    "pool-max-mask-takes-ties": ["ties"],  # the A_prev row has no ties, and the mask is right there
    "pool-average-missing-1/f²": ["A_prev"],
}


@pytest.mark.parametrize(("learner", "checked", "name"), CONV_CASES, ids=[case[2] for case in CONV_CASES])
def test_the_diagnosis_names_the_mistake_and_its_derivation(learner, checked, name):
    report = checked(learner)
    assert_diagnosed(report, name)
    if name in FAILING:
        assert report.failed == FAILING[name], str(report)
    if name == "pool-average-missing-1/f²":  # pooling.md: "f² times the numeric gradient in every entry"
        assert "is 9 times the numeric gradient in every entry" in report.hint, report.hint  # f = 3 by default
        assert "1/f² over a pooling window" in report.hint, report.hint
        assert "池化窗口的 1/f²" in report.hint.zh, report.hint.zh


DOCS = Path(__file__).resolve().parents[1] / "docs"


def _mistakes_section(page: str, lang: str) -> str:
    """The list of mistakes of docs/convolution.md or docs/pooling.md (or its Chinese twin)."""
    text = (DOCS / (page if lang == "en" else page.replace(".md", ".zh.md"))).read_text()
    section = text[text.index("{#mistakes}") :]
    return section[: section.find("\n## ")] if "\n## " in section else section


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_page_lists_the_known_mistakes_of_its_derivations_by_the_names_the_check_reports(lang):
    """convolution.md and pooling.md name, in their lists of mistakes, each known mistake of nn/conv.py whose
    derivation is on that page, by the name check_conv and check_pool report, with that derivation (whose link
    in the diagnosis leads to the page); the = in a pair of conv_backward's lines as its single lines."""
    known = [m for m in mistakes.MISTAKES if m.file == "nn/conv.py"]
    for page in ("convolution.md", "pooling.md"):
        section = _mistakes_section(page, lang)
        named = set(re.findall(r"`([^`]+)`", section))
        ours = [m for m in known if mistakes.PAGES[m.derivation].startswith(page + "#")]
        assert ours, page
        assert not named & {m.name for m in known if m not in ours}, f"{page} names another page's mistake"
        for mutant in ours:
            lines = ASSIGNED.get(mutant.name, [])
            assert mutant.name in named or (len(lines) == 2 and all(f"conv-{g}-assigned" in named for g in lines)), (
                f"{page} ({lang}) does not name {mutant.name}"
            )
            assert mutant.derivation in named, f"{page} ({lang}) does not name {mutant.derivation}"


def test_shares_assigned_are_named_in_average_mode_too_against_its_derivation():
    """Both modes run the line that adds a window's shares back: in average mode the assignment is named
    as in max mode, with the derivation of average pooling."""
    report = check_pool(pool_forward, pool_backward("assign"), mode="average")
    assert not report.passed
    assert report.derivation == "pool.average"
    assert report.diagnosis.startswith(next(m.words for m in mistakes.MISTAKES if m.name == "pool-overlap-assigned"))
    assert report.diagnosis.endswith("contradicts pool.average, see docs/pooling.md#pool-average")


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize(("n_prev", "hparameters"), [(4, {"f": 2, "stride": 2}), (3, {"f": 3, "stride": 1})])
def test_pooling_shares_assigned_are_right_where_no_two_windows_overlap(mode, n_prev, hparameters):
    """As pooling.md says: = gives the right dA_prev at s ≥ f, or with one window per sample and channel
    (n_H = n_W = 1, here with two samples and two channels: four windows); no diagnosis then."""
    A_prev = np.random.default_rng(0).permutation(4 * n_prev * n_prev).reshape(2, n_prev, n_prev, 2) / 10.0
    report = check_pool(pool_forward, pool_backward("assign"), A_prev, hparameters, mode=mode)
    assert report.passed, str(report)
    assert report.derivation is None


#: 3 × 3 inputs pooled by 2 × 2 windows at s = 1 (four windows, each two overlapping): the first has its largest
#: entry in a corner no later window reaches, the second has it where the windows after it overlap
CORNERS = np.array([[9.0, 0.1, 8.0], [0.2, -5.0, 0.3], [7.0, 0.4, 6.0]])
MIDDLE = np.array([[0.5, 0.1, 0.0], [0.2, 9.0, 0.3], [0.6, 0.4, 0.7]])


@pytest.mark.parametrize(("entries", "mode", "passes"), [
    (CORNERS, "max", True),  # no window's largest entry lies in a later window: = keeps every share
    (MIDDLE, "max", False),  # the first window's largest entry is in the three after it
    (CORNERS, "average", False),  # every entry of a window has a share: an overlap always shows
])  # fmt: skip
def test_pooling_shares_assigned_in_max_mode_depend_on_where_the_largest_entries_lie(entries, mode, passes):
    """As pooling.md says: with overlapping windows, average pooling's = is always seen; max pooling's is right
    where no window's largest entry lies in a later window, which writes its own share over that entry."""
    A_prev = np.stack([entries, entries.T[::-1]], axis=-1)[np.newaxis]  # two channels, the same layout turned
    report = check_pool(pool_forward, pool_backward("assign"), A_prev, {"f": 2, "stride": 1}, mode=mode)
    if passes:
        assert report.passed, str(report)
        assert report.derivation is None
    elif mode == "max":
        assert_diagnosed(report, "pool-overlap-assigned")
    else:
        assert not report.passed
        assert report.derivation == "pool.average"


def test_dA_prev_left_padded_is_a_shape_error_that_names_the_mistake():
    with pytest.raises(GradientShapeError, match=r"dA_prev has shape \(2, 7, 7, 2\) but A_prev has shape \(2, 5, 5, 2\)"
                       r".*dA_prev returned with its padding.*contradicts conv.backward") as error:  # fmt: skip
        check_conv(conv_forward, conv_backward("no-unpad"))
    assert error.value.derivation == "conv.backward"


@pytest.mark.parametrize(
    "checked",
    [
        lambda: check_conv(conv_forward, conv_backward()),
        lambda: check_pool(pool_forward, pool_backward()),
        lambda: check_pool(conv.pool_forward, conv.pool_backward, mode="average"),
    ],
)
def test_correct_code_passes_with_no_diagnosis(checked):
    report = checked()
    assert report.passed, str(report)
    assert report.derivation is None


def test_a_wrong_gradient_no_known_mistake_gives_is_not_diagnosed():
    def doubled(dA, cache, mode="max"):
        return 2 * pool_backward()(dA, cache, mode)

    report = check_pool(pool_forward, doubled)
    assert not report.passed
    assert report.derivation is None


def test_the_learner_s_inputs_and_forward_are_checked():
    rng = np.random.default_rng(0)
    A_prev, W, b = rng.normal(size=(1, 4, 4, 2)), rng.normal(size=(2, 2, 2, 1)), np.zeros((1, 1, 1, 1))
    assert check_conv(conv_forward, conv_backward(), A_prev, W, b, {"stride": 1, "pad": 0}).passed
    with pytest.raises(ValueError, match="A_prev has n_C_prev = 2 channels but W expects 3"):
        check_conv(conv_forward, conv_backward(), A_prev, np.zeros((2, 2, 3, 1)), b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=r"conv_forward's Z differs from nn\.conv's"):
        check_conv(lambda *args: (conv_forward(*args)[0] + 1, None), conv_backward())
    with pytest.raises(ValueError, match=r"conv_backward must return \(dA_prev, dW, db\)"):
        check_conv(conv_forward, lambda dZ, cache: conv_backward()(dZ, cache)[:2])
    with pytest.raises(ValueError, match="mode is 'min'"):
        check_pool(pool_forward, pool_backward(), mode="min")


@pytest.mark.parametrize(
    ("returned", "shape"),
    [(lambda dA_prev: None, r"\(\)"), (lambda dA_prev: (dA_prev,), r"\(1, 2, 5, 5, 2\)")],
    ids=["None", "in a tuple"],
)
def test_a_max_pooling_backward_that_returns_no_array_is_named_before_the_ties_are_summed(returned, shape):
    """In max mode the ties row sums dA_prev over each window: None or a tuple met numpy there (AttributeError)."""
    backward = pool_backward()
    with pytest.raises(GradientShapeError, match=rf"dA_prev has shape {shape} but A_prev has shape \(2, 5, 5, 2\)"):
        check_pool(pool_forward, lambda dA, cache, mode: returned(backward(dA, cache, mode)))


def test_some_inputs_without_the_others_are_an_error_not_replaced_by_the_defaults():
    with pytest.raises(ValueError, match="check_conv got W but not A_prev, b, hparameters: pass A_prev, W, b and"):
        check_conv(conv_forward, conv_backward(), W=np.ones((5, 5, 2, 2)))
    with pytest.raises(ValueError, match="check_pool got hparameters but not A_prev"):
        check_pool(pool_forward, pool_backward(), hparameters={"f": 2, "stride": 2})
    with pytest.raises(ValueError, match="check_conv got A_prev but not W, b, hparameters"):
        check_conv(conv_forward, conv_backward(), np.ones((1, 4, 4, 2)))
    with pytest.raises(ValueError, match="check_pool got A_prev but not hparameters"):
        check_pool(pool_forward, pool_backward(), np.ones((1, 4, 4, 2)))


#: Each conv "=" mistake (= for += in some of conv_backward's three lines) and the gradients whose lines it assigns.
ASSIGNED = {m.name: m.name.removeprefix("conv-").removesuffix("-assigned").split("-")
            for m in mistakes.MISTAKES if m.name.startswith("conv-") and m.name.endswith("-assigned")}  # fmt: skip
BLOCKS = {"dA": "A_prev", "dW": "W", "db": "b"}  # the input each gradient belongs to


def last_shares(dZ, A_prev, W, hparameters):
    """What conv_backward gives with = for += in each of its lines, worked out (the loops run i, h, w, c in order):

    - db[c] = dZ[m − 1, n_H − 1, n_W − 1, c], the last window's dZ (last sample, last position);
    - dW[:, :, :, c] = A_pad[m − 1, window (n_H − 1, n_W − 1)] dZ[m − 1, n_H − 1, n_W − 1, c], that window's share;
    - dA_pad[i, y, x, k] = W[y − s h, x − s w, k, n_C − 1] dZ[i, h, w, n_C − 1], where (h, w) is the last window
      that reaches (y, x): h = min(y // s, n_H − 1), if y − s h < f (no window reaches y otherwise: 0), and
      w the same way; each sample keeps its own, but the last filter c = n_C − 1 overwrites the others.
    """
    s, p, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    n_H, n_W, n_C = dZ.shape[1:]
    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
    db = dZ[-1, -1, -1].reshape(1, 1, 1, n_C)
    last = A_pad[-1, s * (n_H - 1) : s * (n_H - 1) + f, s * (n_W - 1) : s * (n_W - 1) + f, :]
    dW = last[..., np.newaxis] * dZ[-1, -1, -1]
    (h, a), (w, c) = _last_window(A_pad.shape[1], s, n_H), _last_window(A_pad.shape[2], s, n_W)
    reached = (a[:, np.newaxis] < f) & (c[np.newaxis, :] < f)
    a, c = np.minimum(a, f - 1)[:, np.newaxis], np.minimum(c, f - 1)[np.newaxis, :]  # any offset where unreached
    dA_pad = W[a, c, :, -1] * (dZ[:, h[:, np.newaxis], w[np.newaxis, :], -1] * reached)[..., np.newaxis]
    return {"A_prev": dA_pad[:, p : p + A_prev.shape[1], p : p + A_prev.shape[2]], "W": dW, "b": db}


def _last_window(n_pad, s, n):
    """Along one axis of n_pad padded entries: for each entry, the last of the n windows that starts at or
    before it, and the entry's offset in that window (f or more where that window ends before it)."""
    last = np.minimum(np.arange(n_pad) // s, n - 1)
    return last, np.arange(n_pad) - s * last


def shows(grad, A_prev, W, hparameters):
    """Whether = in the line of ``grad`` changes that gradient at these sizes (for numbers in general):
    not for db when there is one window in all (m n_H n_W = 1); not for dW when no window but the last holds
    an entry of A_prev (one window in all, say, or the others in the padding only); not for dA_prev when no
    entry of A_prev is reached by two (window, filter) pairs: n_C = 1 and no two windows share an entry of
    A_prev (s ≥ f, say, or windows that overlap in the padding only)."""
    s, p, f, n_C = hparameters["stride"], hparameters["pad"], W.shape[0], W.shape[3]
    m, n_H_prev, n_W_prev = A_prev.shape[:3]
    n_H, n_W = conv.output_size(n_H_prev, f, p, s), conv.output_size(n_W_prev, f, p, s)

    def windows(n_prev, n):  # for each window along one axis, the entries of A_prev it holds there
        return np.array([[s * h <= y + p < s * h + f for y in range(n_prev)] for h in range(n)])

    rows, cols = windows(n_H_prev, n_H), windows(n_W_prev, n_W)
    if grad == "db":
        return m * n_H * n_W > 1
    if grad == "dW":
        holding = rows.any(axis=1)[:, np.newaxis] & cols.any(axis=1)[np.newaxis, :]  # (h, w) holds an entry
        return bool(m * holding.sum() - holding[-1, -1] > 0)
    return bool((n_C * np.outer(rows.sum(axis=0), cols.sum(axis=0))).max() > 1)


def expected_diagnosis(planted, A_prev, W, hparameters):
    """The known mistake a check must name for code with = in the lines of ``planted``: the one whose lines are
    exactly those among them whose = shows at these sizes; None when none shows (then the check passes)."""
    showing = [grad for grad in ("dA", "dW", "db") if grad in planted and shows(grad, A_prev, W, hparameters)]
    return f"conv-{'-'.join(showing)}-assigned" if showing else None


def _layer(sizes, seed=0):
    m, n_prev, n_C_prev, n_C, f, s, p = sizes
    rng = np.random.default_rng(seed)
    A_prev = rng.normal(size=(m, n_prev, n_prev, n_C_prev))
    W, b = rng.normal(size=(f, f, n_C_prev, n_C)), rng.normal(size=(1, 1, 1, n_C))
    return A_prev, W, b, {"stride": s, "pad": p}


@pytest.mark.parametrize("name", ASSIGNED)
def test_each_assignment_keeps_the_last_share_written_as_worked_out(name):
    """nn's loops with the mistake, and the course-style code with it planted, give ``last_shares`` in the
    gradients they assign and the right ones in the others (m = 2, overlapping windows, s = 2, p = 1, n_C = 3)."""
    A_prev, W, b, hparameters = _layer((2, 6, 2, 3, 3, 2, 1))
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    dZ = np.random.default_rng(1).normal(size=Z.shape)
    right = dict(zip(("A_prev", "W", "b"), conv.conv_backward(dZ, cache), strict=True))
    assigned = [BLOCKS[grad] for grad in ASSIGNED[name]]
    expected = {key: last_shares(dZ, A_prev, W, hparameters)[key] if key in assigned else right[key] for key in right}
    mutant = next(mutant for mutant in mistakes.MISTAKES if mutant.name == name)
    for backward in (mistakes.mutated(mutant)[2], conv_backward(f"assign-{'-'.join(ASSIGNED[name])}")):
        for key, got in zip(expected, backward(dZ, cache), strict=True):
            np.testing.assert_allclose(got, expected[key], rtol=1e-12, atol=1e-12, err_msg=key)
            assert key not in assigned or not np.allclose(got, right[key]), f"{key} is right at these sizes"


SIZE_CASES = [  # (the lines planted with =, the sizes m, n_H_prev = n_W_prev, n_C_prev, n_C, f, s, p, what is named)
    (["dA"], (2, 4, 2, 1, 2, 2, 0), None),  # n_C = 1 and s = f: each entry in one window
    (["dA"], (1, 1, 1, 1, 3, 2, 3), None),  # s < f, but the windows overlap in the padding only
    (["dA"], (2, 1, 1, 2, 1, 3, 2), None),  # n_C = 2, but no window reaches the one entry of A_prev
    (["dA", "dW", "db"], (1, 3, 2, 1, 3, 1, 0), None),  # one window and one filter
    (["dA", "dW", "db"], (1, 3, 2, 2, 3, 1, 0), "conv-dA-assigned"),  # one window: dW and db right
    (["dA"], (1, 3, 2, 2, 3, 1, 0), "conv-dA-assigned"),  # ... so not named all three
    (["dA", "dW", "db"], (2, 4, 2, 1, 2, 2, 0), "conv-dW-db-assigned"),  # dA_prev right: s = f, n_C = 1
    (["dW", "db"], (2, 4, 2, 1, 2, 2, 0), "conv-dW-db-assigned"),  # ... so not named all three
    (["dA", "dW"], (2, 3, 1, 2, 2, 1, 0), "conv-dA-dW-assigned"),  # overlapping windows: every line shows
    (["dA", "db"], (2, 3, 1, 2, 2, 1, 0), "conv-dA-db-assigned"),
]


@pytest.mark.parametrize(("planted", "sizes", "named"), SIZE_CASES)
def test_only_the_assignments_that_show_at_these_sizes_are_named(planted, sizes, named):
    """Where = gives the right gradient for some line (``shows``), the check cannot see that line: the
    diagnosis names the lines whose = it sees, or passes when it sees none, never more than the code did."""
    A_prev, W, b, hparameters = _layer(sizes)
    assert expected_diagnosis(planted, A_prev, W, hparameters) == named
    report = check_conv(conv_forward, conv_backward(f"assign-{'-'.join(planted)}"), A_prev, W, b, hparameters)
    if named is None:
        assert report.passed, str(report)
        assert report.derivation is None
    else:
        assert_diagnosed(report, named)


def test_a_conv_gradient_no_known_mistake_gives_is_not_diagnosed():
    """db from the first window instead of the last (what = would keep with the loops run backwards) is wrong
    in db alone, like db's = line, and still no known mistake: the diagnosis compares numbers, not kinds."""

    def first_window(dZ, cache):
        dA_prev, dW, _ = conv_backward()(dZ, cache)
        return dA_prev, dW, dZ[:1, :1, :1].copy()

    report = check_conv(conv_forward, first_window)
    assert not report.passed
    assert report.derivation is None


#: the sizes m, n_prev, n_C_prev, n_C, f, s, p the sweeps draw (overlaps, s > f and windows in the padding only
#: included), with the window no larger than the padded input (a larger one is a ValueError, tested in test_conv.py)
SIZES = st.tuples(
    st.integers(1, 2), st.integers(1, 5), st.integers(1, 2), st.integers(1, 2),  # m, n_prev, n_C_prev, n_C
    st.integers(1, 3), st.integers(1, 3), st.integers(0, 3),  # f, s, p
).filter(lambda sizes: sizes[4] <= sizes[1] + 2 * sizes[6])  # fmt: skip


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(sizes=SIZES, seed=st.integers(0, 2**16))
def test_sweep_the_assignments_are_named_exactly_where_they_show(sizes, seed):
    """Over m, sizes, channels, f, s and p (overlaps, s > f and windows in the padding only included): each set
    of lines with = gets ``expected_diagnosis``; right code passes; the other mistakes never get an = diagnosis."""
    A_prev, W, b, hparameters = _layer(sizes, seed)
    for n in (0, 1, 2, 3):
        for planted in itertools.combinations(("dA", "dW", "db"), n):
            report = check_conv(conv_forward, conv_backward(f"assign-{'-'.join(planted)}" if planted else ""),
                                A_prev, W, b, hparameters)  # fmt: skip
            named = expected_diagnosis(planted, A_prev, W, hparameters)
            if named is None:
                assert report.passed, str(report)
                assert report.derivation is None
            else:
                assert_diagnosed(report, named)
    report = check_conv(conv_forward, conv_backward("no-stride"), A_prev, W, b, hparameters)
    assert report.passed or not any((report.diagnosis or "").startswith(m.words) for m in mistakes.MISTAKES
                                    if m.name in ASSIGNED), str(report)  # fmt: skip


# --- two mistakes in one backward pass --------------------------------------------------------------------------

#: course-style code with two mistakes planted, how it is checked, the pair of known mistakes named and the blocks
#: it gives (every one that is wrong: a layer's mistake, or pair, is named only when it gives every block), and
#: the derivation both are cited with when it is the pooling mode's rather than each one's own
PAIR_CASES = [
    (  # the stride reaches dA_prev and dW; = in dA_prev's line only dA_prev: no one mistake gives both
        "no-stride+assign-dA",
        lambda mk: check_conv(conv_forward, conv_backward(mk)),
        ("conv-backward-ignores-stride", "conv-dA-assigned"),
        ("A_prev", "W"),
        None,
    ),
    (  # the stride with = in all three lines: db shows the = alone, but no one mistake gives all three
        "no-stride+assign-dA-dW-db",
        lambda mk: check_conv(conv_forward, conv_backward(mk)),
        ("conv-backward-ignores-stride", "conv-dA-dW-db-assigned"),
        ("A_prev", "W", "b"),
        None,
    ),
    (  # both in the one line that sends each window's share back; = is cited against average pooling's derivation
        "assign+no-1/f2",
        lambda mk: check_pool(pool_forward, pool_backward(mk), mode="average"),
        ("pool-overlap-assigned", "pool-average-missing-1/f²"),
        ("A_prev",),
        "pool.average",
    ),
    (  # = shows in dA_prev (overlapping windows), the mask of every tie in the ties row (s = f): each in its block
        "assign+all-ties",
        lambda mk: check_pool(pool_forward, pool_backward(mk)),
        ("pool-overlap-assigned", "pool-max-mask-takes-ties"),
        ("A_prev", "ties"),
        None,
    ),
]


@pytest.mark.parametrize(("planted", "checked", "pair", "blocks", "cited"), PAIR_CASES, ids=[c[0] for c in PAIR_CASES])
def test_two_mistakes_planted_at_once_are_named_together_in_both_languages(planted, checked, pair, blocks, cited):
    """Where no one known mistake gives the blocks, pairs of them are made in nn's loops at once, as in the dense
    checks: the report names the pair, with both derivations, in English and in Chinese."""
    assert_diagnosis_line(checked(planted), [], [(pair, blocks)], cited)


def test_the_pairs_check_your_own_names_for_a_layer_are_those_the_check_names():
    """The page's sentences on two conv and pool mistakes at once, bound to the cases above."""
    en, zh = PAGE["en"], PAGE["zh"]
    assert "the pairs of the layer's known mistakes are made in its loops at once" in en
    assert "把这一层已知错误两两同时应用到它的循环上" in zh
    line = diagnosis_line([], [(PAIR_CASES[0][2], PAIR_CASES[0][3])], "en")
    assert line.startswith("dA_prev, dW are exactly what two mistakes give together: ")
    assert (
        "A `conv_backward` that ignores the stride and assigns in dA_prev's line gets \"dA_prev, dW are exactly "
        'what two mistakes give together: …", with both derivations' in en
    )
    assert diagnosis_line([], [(PAIR_CASES[0][2], PAIR_CASES[0][3])], "zh").startswith(
        "dA_prev、dW 恰好就是两个错误合在一起给出的结果："
    )
    assert "`conv_backward` 会得到“dA_prev、dW 恰好就是两个错误合在一起给出的结果：……”，并附上两条推导" in zh
    assert PAIR_CASES[2][0] == "assign+no-1/f2"
    assert PAIR_CASES[2][4] == "pool.average"
    assert (
        "A `pool_backward` that assigns the shares and misses the 1/f² is named as that pair in average mode, "
        "both against `pool.average`; in max mode the 1/f² is never run, and the same code has the assignment "
        "named alone." in en
    )
    assert (
        "把份额写成赋值、又漏了 1/f² 的 `pool_backward`，在平均池化模式下会被指出是这一对，"
        "两者都按 `pool.average` 给出；最大池化模式根本不会运行 1/f² 那一行，同一段代码只会被指出赋值这一个错误。" in zh
    )


def test_in_max_mode_the_missing_1_over_f2_does_not_run_and_only_the_assignment_is_named():
    """The 1/f² is average pooling's: planted beside =, max mode names the = alone, against pool.max."""
    report = check_pool(pool_forward, pool_backward("assign+no-1/f2"))
    assert_diagnosis_line(report, [("pool-overlap-assigned", ("A_prev",))], [])


def test_a_mistake_that_gives_one_wrong_block_but_not_the_right_ones_is_not_named():
    """One entry of A_prev, f = 1, s = p = 3: only the middle of the nine windows holds it. With = in dW's line,
    dW keeps the last window's share, 0, and a stride ignored gives 0 too (its windows all in the padding), but
    also dA_prev = 0, where the learner's is right: = is named, not the stride."""
    A_prev, W, b, hparameters = _layer((1, 1, 1, 1, 1, 3, 3))
    report = check_conv(conv_forward, conv_backward("assign-dW"), A_prev, W, b, hparameters)
    assert_diagnosis_line(report, [("conv-dW-assigned", ("W",))], [])
    stride = check_conv(conv_forward, conv_backward("no-stride"), A_prev, W, b, hparameters)
    assert_diagnosis_line(stride, [("conv-backward-ignores-stride", ("A_prev", "W"))], [])
    assert "a mistake, or a pair, is named only when it gives every block, the right ones included" in PAGE["en"]
    assert (
        "With one entry of A_prev, f = 1 and s = p = 3, a dW line that assigns keeps the last window's share, 0, "
        "and a stride ignored gives 0 as well (its windows all lie in the padding), but it also gives a dA_prev of "
        "0 where yours is right, so only the assignment is named." in PAGE["en"]
    )
    assert "一个错误或一对错误，只有给出全部参数块（包括你算对的那些）时才会被指出" in PAGE["zh"]
    assert (
        "A_prev 只有一个元素、f = 1、s = p = 3 时，把 dW 那一行写成赋值，留下的是最后一个窗口的份额，也就是 0；"
        "忽略步幅同样给出 0（它的窗口全落在填充里），但它给出的 dA_prev 也是 0，而你的 dA_prev 是对的，"
        "所以只有赋值会被指出。" in PAGE["zh"]
    )


def test_dA_prev_left_padded_with_the_stride_ignored_is_a_shape_error_that_names_the_pair():
    """The misshapen dA_prev and dW are the padding and the stride together."""
    with pytest.raises(GradientShapeError) as error:
        check_conv(conv_forward, conv_backward("no-unpad+no-stride"))
    together = [(("conv-dA-not-unpadded", "conv-backward-ignores-stride"), ("A_prev", "W"))]
    assert error.value.derivation == "conv.backward"
    assert error.value.text("en") == (
        "dA_prev has shape (2, 7, 7, 2) but A_prev has shape (2, 5, 5, 2): a gradient has its parameter's shape; "
        + diagnosis_line([], together, "en")
    )
    assert error.value.text("zh") == (
        "dA_prev 的维度是 (2, 7, 7, 2)，而 A_prev 的维度是 (2, 5, 5, 2)：梯度的维度与其参数相同；"
        + diagnosis_line([], together, "zh")
    )
    assert "the `GradientShapeError` names the padding and the stride together for dA_prev and dW" in PAGE["en"]
    assert "`GradientShapeError` 会为 dA_prev 和 dW 指出填充和步幅这两个错误合在一起" in PAGE["zh"]


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    sizes=SIZES,
    other=st.sampled_from(["", "no-unpad", *(f"assign-{'-'.join(grads)}" for grads in ASSIGNED.values())]),
    seed=st.integers(0, 2**16),
)  # fmt: skip
def test_sweep_the_stride_with_another_mistake_is_named_only_as_mistakes_the_code_makes(sizes, other, seed):
    """Over sizes: conv code that ignores the stride, and leaves dA_prev padded or has = in some lines besides, gets
    one known mistake or pair that gives every block, and only mistakes it makes: the stride, the padding, or = in
    lines among those it assigns (fewer where an = does not show at these sizes)."""
    A_prev, W, b, hparameters = _layer(sizes, seed)
    Z, cache = conv.conv_forward(A_prev, W, b, hparameters)
    G = np.random.default_rng(seed).normal(size=Z.shape)
    blocks = ("A_prev", "W", "b")

    def produce(function):
        return dict(zip(blocks, function(G, cache), strict=True))

    learner = produce(conv_backward("+".join(["no-stride", other] if other else ["no-stride"])))
    correct = produce(conv.conv_backward)
    found = mistakes.diagnose_layer(learner, correct, conv.conv_backward_loops, produce, "conv.")
    if found is None:  # no mistake planted shows at these sizes (s = 1, p = 0 and no = that shows)
        for key in blocks:
            np.testing.assert_allclose(learner[key], correct[key], rtol=1e-9, atol=1e-12)
        return
    named = [{mutant.name} for mutant, _ in found.found] + [{a.name, b.name} for (a, b), _ in found.together]
    lines = set(other.removeprefix("assign-").split("-")) if other.startswith("assign-") else set()
    allowed = {"conv-backward-ignores-stride", *(["conv-dA-not-unpadded"] if other == "no-unpad" else [])}
    allowed |= {name for name, grads in ASSIGNED.items() if set(grads) <= lines}
    assert len(named) == 1, found
    assert found.unexplained == ()
    assert named[0] <= allowed, found


#: Where check-your-own.md gives the cost of each layer check and the learner's exact gradients.
LAYER_COSTS = {
    "check-your-own.md": (r"\(J = \sum G \odot Z\) for the convolution and \(J = \sum G \odot A\) for the pooling "
                          "layer", "`conv_backward(G, cache)` and `pool_backward(G, cache, mode)`"),
    "check-your-own.zh.md": (r"代价函数对卷积层是 \(J = \sum G \odot Z\)，对池化层是 \(J = \sum G \odot A\)",
                             "`conv_backward(G, cache)` 和 `pool_backward(G, cache, mode)`"),
}  # fmt: skip


def test_the_layer_checks_take_the_cost_on_each_layers_own_output():
    """check_conv's cost is Σ G ⊙ Z and check_pool's Σ G ⊙ A: every G the learner's backward pass gets has the shape
    of what the learner's forward pass returned (Z, or the pooled A), and nn's own backward pass of it passes."""

    def recorded(forward, backward, shapes):
        def learner_forward(*args):
            output, cache = forward(*args)
            shapes.append(("forward", output.shape))
            return output, cache

        def learner_backward(upstream, cache, *mode):
            shapes.append(("backward", np.shape(upstream)))
            return backward(upstream, cache, *mode)

        return learner_forward, learner_backward

    for check, forward, backward, options in [
        (check_conv, conv.conv_forward, conv.conv_backward, {}),
        (check_pool, conv.pool_forward, conv.pool_backward, {"mode": "average"}),
    ]:
        shapes = []
        assert check(*recorded(forward, backward, shapes), **options).passed
        outputs = {shape for kind, shape in shapes if kind == "forward"}
        assert shapes[0][0] == "forward", shapes
        assert {shape for kind, shape in shapes if kind == "backward"} <= outputs, shapes


@pytest.mark.parametrize("page", LAYER_COSTS)
def test_the_page_gives_each_layer_checks_cost(page):
    """check-your-own.md gives each layer check's cost as the test above finds it: Σ G ⊙ Z for the convolution,
    Σ G ⊙ A for the pooling layer."""
    text = page_text(page)
    for words in LAYER_COSTS[page]:
        assert words in text, words
