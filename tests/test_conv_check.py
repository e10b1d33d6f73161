"""check_conv and check_pool on course-style code: correct code passes, each known mistake is named."""

from __future__ import annotations

import numpy as np
import pytest
from course_conv_code import conv_backward, conv_forward, pool_backward, pool_forward
from support import assert_diagnosed

from nn import conv
from nn.gradcheck import GradientShapeError, check_conv, check_pool, mistakes

CONV_CASES = [  # (the learner's mistake, how it is checked, the known mistake the diagnosis must name)
    ("no-stride", lambda mk: check_conv(conv_forward, conv_backward(mk)), "conv-backward-ignores-stride"),
    ("assign", lambda mk: check_pool(pool_forward, pool_backward(mk)), "pool-overlap-assigned"),
    ("no-1/f2", lambda mk: check_pool(pool_forward, pool_backward(mk), mode="average"), "pool-average-missing-1/f²"),
    ("all-ties", lambda mk: check_pool(pool_forward, pool_backward(mk)), "pool-max-mask-takes-ties"),
]


def test_every_known_conv_and_pool_mistake_has_a_case():
    covered = {name for *_, name in CONV_CASES} | {"conv-dA-not-unpadded"}
    assert covered == {m.name for m in mistakes.MISTAKES if m.file == "nn/conv.py"}


@pytest.mark.parametrize(("learner", "checked", "name"), CONV_CASES, ids=[case[2] for case in CONV_CASES])
def test_the_diagnosis_names_the_mistake_and_its_derivation(learner, checked, name):
    assert_diagnosed(checked(learner), name)


def test_shares_assigned_are_named_in_average_mode_too_against_its_derivation():
    """Both modes run the line that adds a window's shares back: in average mode the assignment is named
    as in max mode, with the derivation of average pooling."""
    report = check_pool(pool_forward, pool_backward("assign"), mode="average")
    assert not report.passed
    assert report.derivation == "pool.average"
    assert report.diagnosis.startswith(next(m.words for m in mistakes.MISTAKES if m.name == "pool-overlap-assigned"))
    assert report.diagnosis.endswith("contradicts pool.average, see docs/pooling.md#pool-average")


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


def test_some_inputs_without_the_others_are_an_error_not_replaced_by_the_defaults():
    with pytest.raises(ValueError, match="check_conv got W but not A_prev, b, hparameters: pass A_prev, W, b and"):
        check_conv(conv_forward, conv_backward(), W=np.ones((5, 5, 2, 2)))
    with pytest.raises(ValueError, match="check_pool got hparameters but not A_prev"):
        check_pool(pool_forward, pool_backward(), hparameters={"f": 2, "stride": 2})
    with pytest.raises(ValueError, match="check_conv got A_prev but not W, b, hparameters"):
        check_conv(conv_forward, conv_backward(), np.ones((1, 4, 4, 2)))
    with pytest.raises(ValueError, match="check_pool got A_prev but not hparameters"):
        check_pool(pool_forward, pool_backward(), np.ones((1, 4, 4, 2)))
