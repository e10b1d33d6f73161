r"""Gradient checking: compare backward's dW[l], db[l] with differences of the cost J.

For every parameter block \(\theta\) (W1, b1, ..., WL, bL) the checker reports the relative error

\[ \frac{\lVert g - \hat g \rVert_2}{\lVert g \rVert_2 + \lVert \hat g \rVert_2}, \qquad
   g = \text{backward's gradient}, \quad \hat g = \text{a numeric estimate from } J, \]

with three estimates: ``"full"``, the central difference \((J(\theta + h e_i) - J(\theta - h e_i))/2h\) on
every entry; ``"directional"``, the same along k random unit directions v of all parameters jointly,
compared with \(\langle g, v \rangle\) (a constant number of forward passes); ``"complex"``, the complex
step \(\operatorname{Im} J(\theta + i h e_i)/h\) with \(h = 10^{-20}\), exact to rounding but only for
analytic activations. A perturbation that moves a pre-activation \(Z^{[l]}\) across a kink of
\(g^{[l]}\) (relu at 0) makes the central difference meaningless there. By default (``kinks="move"``)
such a probe is repeated with a step small enough to stay on one side of every kink, and skipped
only when a pre-activation sits on the kink itself; ``"skip"`` skips every such probe and ``"fail"``
counts it as a failure. J is computed from the logits \(Z^{[L]}\) when the output activation is
the one paired with the loss (sigmoid with bce, softmax with cross_entropy), so a saturated output
does not make the numeric gradient wrong.

Any code can be checked, not only nn's: :func:`check_function` takes a learner's own
``cost(parameters)`` and ``gradients(parameters)`` with any names and shapes, and
:func:`check_two_layer` and :func:`check_L_layer` take functions with the course's signatures.
When a failing check's gradients are exactly those of a known mistake (``mistakes``), the
report names the derivation the code contradicts.

A relative error above the tolerance fails a block only when some entry also differs beyond the
error bound its estimate carries (rounding of J, truncation); a block whose bound is too large
against its gradient is reported as undecided ("cannot tell"), neither passed nor failed.

The modules: ``estimates`` (the numeric estimates), ``problems`` (J for nn's network or for a
learner's function), ``report`` (the report and its hints), ``narrowing`` (directional mode and
how a failure is narrowed down), ``checker`` (:func:`check`), ``mistakes`` (the known mistakes
and the diagnosis), ``adapters`` (a learner's own code).
"""

from .adapters import GradientShapeError, check_conv, check_function, check_L_layer, check_pool, check_two_layer
from .checker import check
from .estimates import DEFAULTS, DIRECTIONS, KINK_POLICIES, MODES, MOVE_LIMIT, relative_error
from .narrowing import BISECT_DIRECTIONS, FULL_WORK, PASS_OVERHEAD
from .report import Report, WeakCheckWarning
from .sequence import check_lstm, check_rnn

__all__ = [
    "BISECT_DIRECTIONS",
    "DEFAULTS",
    "DIRECTIONS",
    "FULL_WORK",
    "KINK_POLICIES",
    "MODES",
    "MOVE_LIMIT",
    "PASS_OVERHEAD",
    "GradientShapeError",
    "Report",
    "WeakCheckWarning",
    "check",
    "check_L_layer",
    "check_conv",
    "check_function",
    "check_lstm",
    "check_pool",
    "check_rnn",
    "check_two_layer",
    "relative_error",
]
