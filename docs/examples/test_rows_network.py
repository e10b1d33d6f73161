"""A test in the learner's own suite: pytest fails with the gradient check's report as the message."""

from rows_network import cost, gradients, parameters

from nn.testing import assert_gradients


def test_gradients_match_the_cost():
    assert_gradients(cost, lambda p: gradients(p, with_target=True), parameters)
