r"""Input checks: every bad input becomes a ValueError that names the broken rule.

Each public function of ``nn`` makes one call here (``forward_inputs``, ``cost_inputs``, ...)
before any arithmetic, so the math stays free of validation. The messages use the docs'
notation: \(W^{[l]}\) is ``(n[l], n[l-1])``, \(b^{[l]}\) is ``(n[l], 1)``, samples are columns.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from . import activations as activation_registry


def choice(kind: str, value, valid: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``valid``; otherwise raise, listing the valid names."""
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"unknown {kind} {value!r}; valid {kind} names: {', '.join(map(repr, valid))}")
    return value


def finite(name: str, array: np.ndarray) -> None:
    """Raise if ``array`` holds NaN or inf, saying how many entries and where the first is.

    A quick test first: the sum of squares, one BLAS dot product (about twice as fast as
    ``np.isfinite`` on a large array), is finite only if every entry is. It can also overflow
    to inf from large finite entries, so when it is not finite the entries decide, one by one.
    """
    flat = array.ravel(order="K")  # a view, in memory order, of a C- or F-contiguous array
    with np.errstate(all="ignore"):  # an overflow of the sum is no error
        if np.isfinite(np.dot(flat, flat)):
            return
    bad = ~np.isfinite(array)
    if bad.any():
        first = _first(bad)
        raise ValueError(
            f"{name} contains NaN or inf ({int(bad.sum())} entries, the first at index {first}): "
            f"every entry of {name} must be finite"
        )


def matrix(name: str, value, rows: str) -> np.ndarray:
    """Return ``value`` as a finite 2-D float array with ``m >= 1`` columns (samples).

    ``rows`` names the row count in the docs' notation, e.g. ``"n[0]"`` for X.
    Integer and boolean arrays become float64; float arrays are returned without a copy.
    """
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers; got dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with samples as columns, shape ({rows}, m); got shape {array.shape}. "
            f"Use {name}.reshape({rows}, m), e.g. {name}.reshape(1, -1) when {rows} = 1"
        )
    if array.shape[1] == 0:
        raise ValueError(f"{name} has shape {array.shape}: it needs at least one sample (column), m >= 1")
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    finite(name, array)
    return array


def network(parameters) -> int:
    """Check W1, b1, ..., WL, bL for shapes, dtype and finiteness; return L, the number of layers.

    A hidden layer l < L may instead be a batch-norm layer: ``gamma{l}``, ``beta{l}``,
    ``running_mean{l}`` and ``running_var{l}``, all ``(n[l], 1)``, and no ``b{l}``.
    """
    if not isinstance(parameters, Mapping):
        raise ValueError(f"parameters must be a dict {{'W1': ..., 'b1': ..., ...}}; got {type(parameters).__name__}")
    L = sum(1 for key in parameters if isinstance(key, str) and key.startswith("W"))
    batch_norm = [l for l in range(1, L) if any(f"{name}{l}" in parameters for name in _BATCH_NORM)]
    _batch_norm_layers(parameters, L, batch_norm)
    expected = [f"W{l}" for l in range(1, L + 1)]
    expected += [f"{name}{l}" for l in batch_norm for name in _BATCH_NORM]
    expected += [f"b{l}" for l in range(1, L + 1) if l not in batch_norm]
    missing = [key for key in expected if key not in parameters] if L else ["W1", "b1"]
    unexpected = [key for key in parameters if key not in expected]
    if missing or unexpected:
        raise ValueError(
            "parameters must hold exactly W1, b1, ..., WL, bL, one W and one b per layer "
            "(a batch-norm layer: gamma, beta, running_mean, running_var instead of b); "
            + ", ".join(f"{what} {keys}" for what, keys in (("missing", missing), ("unexpected", unexpected)) if keys)
        )
    for key in expected:
        array = parameters[key]
        if not isinstance(array, np.ndarray) or array.ndim != 2 or array.dtype.kind != "f":
            name = key.rstrip("0123456789")
            rule = "W[l] must be (n[l], n[l-1])" if name == "W" else f"{name}[l] must be (n[l], 1)"
            raise ValueError(f"{key} must be a 2-D floating-point numpy array, {rule}; got {_describe(array)}")
        if array.dtype != parameters["W1"].dtype:
            raise ValueError(
                f"{key} has dtype {array.dtype} but W1 has {parameters['W1'].dtype}: all parameters share one dtype"
            )
        finite(key, array)
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        if min(W.shape) < 1:
            raise ValueError(f"W{l} has shape {W.shape}: layer sizes n[l] must be at least 1")
        if l > 1 and W.shape[1] != parameters[f"W{l - 1}"].shape[0]:
            raise ValueError(
                f"W{l} has {W.shape[1]} columns but W{l - 1} has {parameters[f'W{l - 1}'].shape[0]} rows: "
                f"W[l] must be (n[l], n[l-1])"
            )
        for name in _BATCH_NORM if l in batch_norm else ("b",):
            if parameters[f"{name}{l}"].shape != (W.shape[0], 1):
                raise ValueError(
                    f"{name}{l} has shape {parameters[f'{name}{l}'].shape} but W{l} has {W.shape[0]} rows: "
                    f"{name}[l] must be (n[l], 1)"
                )
        if l in batch_norm and (parameters[f"running_var{l}"] < 0).any():
            raise ValueError(
                f"running_var{l} has a negative entry: a running average of variances σ² is >= 0 "
                f"(initialize_parameters sets it to ones, train updates it)"
            )
    return L


_BATCH_NORM = ("gamma", "beta", "running_mean", "running_var")


def _batch_norm_layers(parameters, L, layers) -> None:
    """Name the broken rule when batch-norm entries are incomplete, on the output layer, or beside b."""
    for key in parameters:
        name = key.rstrip("0123456789") if isinstance(key, str) else None
        if name in _BATCH_NORM and key[len(name) :] == str(L):
            raise ValueError(
                f"{key}: the output layer L = {L} has no batch norm and keeps b[L]; "
                f"gamma[l], beta[l] and the running averages belong to hidden layers l < L"
            )
    for l in layers:
        present = [name for name in _BATCH_NORM if f"{name}{l}" in parameters]
        if ("gamma" in present) != ("beta" in present):
            have, lack = ("gamma", "beta") if "gamma" in present else ("beta", "gamma")
            raise ValueError(
                f"{have}{l} without {lack}{l}: a batch-norm layer computes Z̃ = γ ⊙ Ẑ + β and needs both "
                f"(initialize_parameters(..., batch_norm=True) makes them)"
            )
        lacking = [f"{name}{l}" for name in _BATCH_NORM if name not in present]
        if lacking:
            raise ValueError(
                f"layer {l} has {', '.join(f'{name}{l}' for name in present)} but not {', '.join(lacking)}: a "
                f"batch-norm layer needs gamma, beta and the running averages running_mean, running_var "
                f"that predict normalizes with"
            )
        if f"b{l}" in parameters:
            raise ValueError(
                f"b{l} together with beta{l}: in a batch-norm layer β takes the place of b (the mean "
                f"subtraction cancels any b), so layer {l} has no b[l]; remove b{l}"
            )


def layer_activations(names, L: int) -> dict[int, activation_registry.Activation]:
    """Resolve one activation name per layer into ``{l: g[l]}`` for l = 1..L."""
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise ValueError(f"activations must be a list with one name per layer, e.g. ['relu', 'sigmoid']; got {names!r}")
    if len(names) != L:
        raise ValueError(
            f"got {len(names)} activations for L = {L} layers: activations needs one name per layer, g[1]..g[L]"
        )
    g = {l: activation_registry.get(name) for l, name in enumerate(names, start=1)}
    for l in range(1, L):
        if not g[l].elementwise:
            raise ValueError(
                f"activations[{l - 1}] = {g[l].name!r} at hidden layer {l} of L = {L}: {g[l].name} normalises each "
                f"column over its units, so it is only supported as the output activation g[L]"
            )
    return g


def output_layer(g: dict, n_L: int, loss: str | None) -> None:
    """Check that the output activation g[L] suits its n[L] units and the loss."""
    L = len(g)
    if g[L].name == "softmax" and n_L < 2:
        raise ValueError(
            "softmax over n[L] = 1 unit is the constant 1 and passes no gradient: use n[L] = K >= 2 classes, "
            "or a sigmoid output with loss='bce' for two classes"
        )
    if loss == "cross_entropy" and g[L].name != "softmax":
        raise ValueError(
            f"loss 'cross_entropy' needs a softmax output layer, so that each column of A[L] is a distribution "
            f"over the n[L] classes; got g[L] = {g[L].name!r}. For one sigmoid output unit use loss='bce'"
        )


def targets(Y, shape: tuple[int, int], dtype: np.dtype, loss: str) -> np.ndarray:
    """Return Y in ``dtype`` after checking it is ``(n[L], m)`` like A[L] and, for bce, in [0, 1].

    For cross_entropy every column of Y must be a distribution over the n[L] classes.
    """
    Y = matrix("Y", Y, "n[L]")
    if Y.shape != shape:
        hint = " (Y looks transposed: use Y.T)" if Y.T.shape == shape else ""
        if loss == "cross_entropy" and Y.shape == (1, shape[1]):
            hint = f" (Y looks like class labels: one-hot encode them, Y = np.eye({shape[0]})[labels].T)"
        raise ValueError(
            f"Y has shape {Y.shape} but A[L] is (n[L], m) = {shape}: Y must be (n[L], m), one column per sample{hint}"
        )
    if loss == "bce" and ((Y < 0) | (Y > 1)).any():
        raise ValueError(
            f"bce needs labels 0 <= Y <= 1; got Y from {Y.min()} to {Y.max()}. For other targets use loss='mse'"
        )
    Y = Y.astype(dtype, copy=False)
    if loss == "cross_entropy":
        distributions(
            "Y", Y, "one-hot columns for class labels: Y = np.eye(n[L])[labels].T, so that dZ[L] = A[L] - Y holds"
        )
    return Y


def distributions(name: str, array: np.ndarray, remedy: str) -> None:
    """Check that every column of ``array`` is a probability distribution: entries in [0, 1], sum 1.

    The sum may be off by the square root of the dtype's epsilon, for rounding.
    """
    rule = f"cross_entropy needs every column of {name} to be a distribution over the n[L] classes"
    outside = (array < 0) | (array > 1)
    if outside.any():
        first = _first(outside)
        raise ValueError(f"{rule}, entries in [0, 1]; got {name}{list(first)} = {array[first]} ({remedy})")
    sums = array.sum(axis=0)
    off = np.abs(sums - 1) > np.sqrt(np.finfo(array.dtype).eps)
    if off.any():
        j = int(np.argmax(off))
        raise ValueError(f"{rule}, summing to 1; column {j} sums to {sums[j]} ({remedy})")


def probabilities(AL: np.ndarray, *, strict: bool) -> None:
    """Check 0 <= A[L] <= 1 for the bce cost, or 0 < A[L] < 1 (``strict``) for its derivative."""
    outside = ((AL <= 0) | (AL >= 1)) if strict else ((AL < 0) | (AL > 1))
    if outside.any():
        first = _first(outside)
        if strict:
            raise ValueError(
                f"bce's dA[L] = (A - Y) / (A(1 - A)) divides by zero unless 0 < A[L] < 1; "
                f"got A[L] = {AL[first]} at index {first}. "
                f"A sigmoid output layer avoids this: its dZ[L] = A[L] - Y has no division"
            )
        raise ValueError(
            f"bce needs probabilities 0 <= A[L] <= 1 (e.g. a sigmoid output layer); "
            f"got A[L] = {AL[first]} at index {first}"
        )


def positive_outputs(AL: np.ndarray) -> None:
    """Check A[L] > 0 for cross_entropy's dA[L] = -Y / A[L]."""
    if (AL <= 0).any():
        first = _first(AL <= 0)
        raise ValueError(
            f"cross_entropy's dA[L] = -Y / A[L] divides by zero unless A[L] > 0; got A[L] = {AL[first]} at index "
            f"{first}. A softmax output layer avoids this: its dZ[L] = A[L] - Y has no division"
        )


def layer_dims(dims) -> list[int]:
    """Check ``[n[0], n[1], ..., n[L]]``: at least two integer sizes, each at least 1."""
    if isinstance(dims, str) or not isinstance(dims, (Sequence, np.ndarray)):
        raise ValueError(f"layer_dims must be a list [n[0], n[1], ..., n[L]] of layer sizes; got {dims!r}")
    if len(dims) < 2:
        raise ValueError(
            f"layer_dims needs at least 2 entries, [n[0], n[1], ...]: the input size and one layer; got {list(dims)}"
        )
    for l, n in enumerate(dims):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"layer_dims[{l}] = {n!r}: layer sizes n[l] must be integers >= 1")
    return [int(n) for n in dims]


def rate(learning_rate) -> float:
    """Return the learning rate as a Python float (so it never changes the parameters' dtype)."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or not 0 < learning_rate < np.inf:
        raise ValueError(f"learning_rate must be a positive finite number; got {learning_rate!r}")
    return float(learning_rate)


def init_inputs(dims, method: str, dtype, *, methods: Sequence[str]) -> tuple[list[int], np.dtype]:
    """Checks for initialize_parameters; return layer_dims as ints and the dtype."""
    choice("init method", method, methods)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise ValueError(f"dtype must be a floating-point type such as np.float32 or np.float64; got {dtype!r}")
    return layer_dims(dims), dtype


def forward_inputs(X, parameters, activations, *, training=True) -> tuple[np.ndarray, dict]:
    """Checks for forward_propagation and predict; return X in the parameters' dtype, and g."""
    if not isinstance(training, bool):
        raise ValueError(f"training must be True (batch statistics) or False (running averages); got {training!r}")
    L = network(parameters)
    g = layer_activations(activations, L)
    X = matrix("X", X, "n[0]")
    n0 = parameters["W1"].shape[1]
    if X.shape[0] != n0:
        raise ValueError(
            f"X has {X.shape[0]} rows but W1 expects {n0}: W[l] must be (n[l], n[l-1]), so X = A[0] must be (n[0], m)"
        )
    output_layer(g, parameters[f"W{L}"].shape[0], None)
    if training and any(key.startswith("gamma") for key in parameters):
        batch_size(X.shape[1])
    return X.astype(parameters["W1"].dtype, copy=False), g


def batch_size(m: int) -> None:
    """Batch norm in training mode needs m >= 2: on one sample Z − μ = 0 and σ² = 0 for every unit."""
    if m < 2:
        raise ValueError(
            "batch norm in training mode needs a batch of m >= 2 samples: with m = 1, μ = Z, so Z − μ = 0 "
            "and σ² = 0 for every unit and nothing is learned. Predict one sample with predict, or "
            "forward_propagation(..., training=False), which use the running averages"
        )


def keep_probs(keep_prob, L: int) -> dict[int, float]:
    """Return ``{l: p}`` for the hidden layers l < L whose keep_prob p is below 1.

    ``keep_prob`` is one number in (0, 1] for every hidden layer, or a list of L - 1 of them.
    """
    rule = "keep_prob is the probability of keeping a unit, a number in (0, 1]"
    scalar = not isinstance(keep_prob, (Sequence, np.ndarray)) or isinstance(keep_prob, str)
    values = [keep_prob] if scalar else list(keep_prob)
    if not scalar and len(values) != L - 1:
        raise ValueError(
            f"got {len(values)} keep_prob values for L - 1 = {L - 1} hidden layers: give one per hidden "
            f"layer l = 1..L-1 (the output layer is never dropped), or one number for all"
        )
    for l, p in enumerate(values, start=1):
        if not _real(p) or not 0 < p <= 1:
            where = "" if scalar else f" (hidden layer {l})"
            raise ValueError(f"{rule}; got {p!r}{where}. keep_prob = 1 keeps every unit")
    if scalar:
        if L == 1 and keep_prob != 1:
            raise ValueError(
                f"keep_prob = {keep_prob!r} but L = 1: dropout drops hidden units only and this network has no "
                f"hidden layer; use keep_prob=1.0"
            )
        values = values * (L - 1)
    return {l: float(p) for l, p in enumerate(values, start=1) if p < 1}


def lambd(value) -> float:
    """Return the L2 strength λ as a Python float after checking it is finite and >= 0."""
    if not _real(value) or not 0 <= value < np.inf:
        raise ValueError(
            f"lambd is the L2 strength λ of the penalty (λ/2m) Σ ‖W[l]‖², a finite number >= 0; got {value!r}"
        )
    return float(value)


def _real(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Real)


def cost_inputs(AL, Y, loss: str, ZL=None, *, losses: Sequence[str], paired: Mapping[str, str]):
    """Checks for compute_cost; return A[L], Y and Z[L] (or None) in A[L]'s dtype."""
    choice("loss", loss, losses)
    AL = matrix("AL", AL, "n[L]")
    Y = targets(Y, AL.shape, AL.dtype, loss)
    if loss == "bce":
        probabilities(AL, strict=False)
    if loss == "cross_entropy":
        distributions("A[L]", AL, "a softmax output layer gives such columns")
    if ZL is None:
        return AL, Y, None
    if loss not in paired:
        raise ValueError(f"ZL is for the {' and '.join(paired)} costs (from the logits Z[L]); {loss} uses A[L] only")
    ZL = matrix("ZL", ZL, "n[L]").astype(AL.dtype, copy=False)
    if ZL.shape != AL.shape:
        raise ValueError(f"ZL has shape {ZL.shape} but AL has {AL.shape}: Z[L] and A[L] are both (n[L], m)")
    output = activation_registry.get(paired[loss])
    tolerance = np.sqrt(np.finfo(AL.dtype).eps)
    if not np.allclose(AL, output.forward(ZL), rtol=tolerance, atol=tolerance):
        raise ValueError(
            f"AL is not {output.name}(ZL): with loss={loss!r}, ZL must be the Z[L] whose {output.name} is A[L], "
            f"i.e. the pair forward_propagation put in its cache"
        )
    return AL, Y, ZL


def backward_inputs(AL, Y, cache, parameters, activations, loss: str, *, losses: Sequence[str]):
    """Checks for backward_propagation; return A[L] and Y in the parameters' dtype, and g."""
    L = network(parameters)
    g = layer_activations(activations, L)
    choice("loss", loss, losses)
    if not isinstance(cache, Mapping) or not isinstance(cache.get("A0"), np.ndarray):
        raise ValueError("cache must be the dict returned by forward_propagation, holding A0 = X, Z1, A1, ...")
    dtype, m = parameters["W1"].dtype, cache["A0"].shape[-1]
    for l in range(1, L + 1):
        n, n_prev = parameters[f"W{l}"].shape
        for key, shape in ((f"A{l - 1}", (n_prev, m)), (f"Z{l}", (n, m))):
            value = cache.get(key)
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != dtype:
                raise ValueError(
                    f"cache[{key!r}] is {_describe(value)} but backward needs a {dtype} array of shape {shape}: "
                    f"pass the cache that forward_propagation returned for these parameters"
                )
    for l in range(1, L):
        n = parameters[f"W{l}"].shape[0]
        needs = [f"Zhat{l}", f"var{l}"] if f"gamma{l}" in parameters else []
        needs += [f"D{l}"] if f"keep_prob{l}" in cache or f"D{l}" in cache else []
        for key in needs:
            shape = (n, 1) if key.startswith("var") else (n, m)
            value = cache.get(key)
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != dtype:
                raise ValueError(
                    f"cache[{key!r}] is {_describe(value)} but backward needs a {dtype} array of shape {shape}: "
                    f"pass the cache of a training-mode forward_propagation with these parameters"
                )
        if f"D{l}" in cache:
            p = cache.get(f"keep_prob{l}")
            if not _real(p) or not 0 < p <= 1:
                raise ValueError(
                    f"cache['keep_prob{l}'] is {p!r}: backward scales dA[{l}] by D[{l}] / keep_prob, so the cache "
                    f"needs the keep_prob in (0, 1] its mask D{l} was drawn with"
                )
    AL = matrix("AL", AL, "n[L]").astype(dtype, copy=False)
    if AL.shape != cache[f"Z{L}"].shape:
        raise ValueError(
            f"AL has shape {AL.shape} but Z{L} in the cache has {cache[f'Z{L}'].shape}: A[L] must be (n[L], m); "
            f"pass the AL that forward_propagation returned with this cache"
        )
    output_layer(g, AL.shape[0], loss)
    return AL, targets(Y, AL.shape, dtype, loss), g


def update_inputs(parameters, grads, learning_rate) -> float:
    """Checks for update_parameters (see :func:`gradient_step`); return the rate as a float."""
    gradient_step(parameters, grads)
    return rate(learning_rate)


#: Entries of the parameters that get no gradient (batch norm's running averages): no step moves them.
NO_GRADIENT = ("running_mean", "running_var")


def learnable(parameters: Mapping) -> list[str]:
    """The keys of the parameters that a step updates: every one but the running averages."""
    return [key for key in parameters if not key.startswith(NO_GRADIENT)]


def parameter_arrays(parameters) -> list[str]:
    """Check that the parameters are a dict of finite float arrays of one dtype; return the learnable keys."""
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError(f"parameters must be a dict {{'W1': ..., 'b1': ..., ...}}; got {_describe(parameters)}")
    dtype = None
    for key, value in parameters.items():
        if not isinstance(key, str) or not isinstance(value, np.ndarray) or value.dtype.kind != "f":
            raise ValueError(f"parameters[{key!r}] must be a floating-point numpy array; got {_describe(value)}")
        if dtype is not None and value.dtype != dtype:
            raise ValueError(f"{key} has dtype {value.dtype} but the other parameters have {dtype}: all share a dtype")
        dtype = value.dtype
        finite(key, value)
    return learnable(parameters)


def gradient_step(parameters, grads) -> list[str]:
    """Checks shared by every update rule: ``d<key>`` shaped like ``<key>`` for each learnable key; return those keys.

    The parameters are a dict of finite float arrays of one dtype; ``grads`` has one gradient
    per learnable parameter (see :func:`learnable`) and no gradient for anything else.
    """
    keys = parameter_arrays(parameters)
    if not isinstance(grads, Mapping):
        raise ValueError(f"grads must be the dict returned by backward_propagation; got {type(grads).__name__}")
    unknown = [key for key in grads if not (isinstance(key, str) and key[1:] in keys and key[0] == "d")]
    if unknown:
        raise ValueError(
            f"grads has {', '.join(map(repr, unknown))} but no learnable parameter of that name: "
            f"grads holds d<key> for each parameter <key> except {' and '.join(NO_GRADIENT)}"
        )
    state("grads", grads, parameters, keys)
    return keys


def state(name: str, values, parameters: Mapping, keys: Sequence[str], *, nonnegative: bool = False) -> None:
    """Check an optimizer's state (or the gradients): ``values['d<key>']`` shaped like each parameter ``<key>``."""
    if not isinstance(values, Mapping):
        raise ValueError(f"{name} must be a dict keyed like the gradients (dW1, db1, ...); got {_describe(values)}")
    expected = {f"d{key}" for key in keys}
    unknown = [key for key in values if key not in expected]
    if unknown:  # e.g. the state of another network: no step would read it, and it would be passed on
        raise ValueError(
            f"{name} has {', '.join(map(repr, unknown))} but no learnable parameter of that name: {name} is keyed "
            f"like the gradients, d<key> for each parameter <key> (start from initialize_velocity or initialize_adam)"
        )
    for key in keys:
        value, array = values.get(f"d{key}"), parameters[key]
        if not isinstance(value, np.ndarray) or value.shape != array.shape or value.dtype != array.dtype:
            raise ValueError(
                f"{name}['d{key}'] is {_describe(value)} but {key} is a {array.dtype} array of shape {array.shape}: "
                f"d{key} must have {key}'s shape and dtype"
            )
        finite(f"d{key}" if name == "grads" else f"{name}['d{key}']", value)
        if nonnegative and (value < 0).any():
            first = _first(value < 0)
            raise ValueError(
                f"{name}['d{key}'] has a negative entry {value[first]} at index {first}: {name} averages squared "
                f"gradients, so every entry is >= 0 (start from zeros)"
            )


def decay(name: str, value) -> float:
    """Return an averaging rate β in [0, 1) as a float; ``name`` is its argument name, e.g. ``beta1``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(
            f"{name} = {value!r}: an averaging rate β must be a number with 0 <= β < 1 "
            f"(β = 0 keeps only the latest gradient; β = 1 would never move from 0)"
        )
    return float(value)


def epsilon(value) -> float:
    """Return ε, the guard against dividing by zero in RMSprop and Adam, as a positive finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < np.inf:
        raise ValueError(f"epsilon = {value!r}: ε must be a positive finite number (it keeps √s + ε above 0)")
    return float(value)


def count(name: str, value, rule: str) -> int:
    """Return an integer >= 1 (not a bool); otherwise raise with ``rule`` saying why it must be one."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} = {value!r}: {rule}")
    return int(value)


BATCH_RULE = "a mini-batch holds an integer number >= 1 of columns (samples)"


def batch_inputs(X, Y, mini_batch_size, seed) -> tuple[np.ndarray, np.ndarray, int]:
    """Checks for random_mini_batches: X ``(n[0], m)`` and Y ``(n[L], m)`` with the same m >= 1 columns."""
    X, Y = np.asarray(X), np.asarray(Y)
    for name, array, rows in (("X", X, "n[0]"), ("Y", Y, "n[L]")):
        if array.ndim != 2 or array.shape[1] == 0:
            raise ValueError(f"{name} must be 2-D with m >= 1 samples as columns, ({rows}, m); got shape {array.shape}")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} columns but Y has {Y.shape[1]}: column i of Y is the label of column i of X"
        )
    size = count("mini_batch_size", mini_batch_size, BATCH_RULE)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed = {seed!r}: the shuffle's seed must be an integer >= 0")
    return X, Y, size


def optimizer_inputs(optimizer: str, mini_batch_size, beta, beta1, beta2, eps, *, optimizers: Sequence[str]):
    """Checks for train's optimizer options; return mini_batch_size (int or None) and the rates as floats."""
    choice("optimizer", optimizer, optimizers)
    if mini_batch_size is not None:
        mini_batch_size = count("mini_batch_size", mini_batch_size, BATCH_RULE)
    return mini_batch_size, decay("beta", beta), decay("beta1", beta1), decay("beta2", beta2), epsilon(eps)


def train_inputs(X, Y, dims, activations, loss, learning_rate, num_iterations, *, losses: Sequence[str]):
    """Checks for train; return layer_dims, X and Y (in X's float dtype), g and the rate as a float.

    ``train`` checks its regularization options itself (:func:`keep_probs`, :func:`lambd`,
    :func:`batch_size`)."""
    dims = layer_dims(dims)
    g = layer_activations(activations, len(dims) - 1)
    choice("loss", loss, losses)
    if isinstance(num_iterations, bool) or not isinstance(num_iterations, numbers.Integral) or num_iterations < 1:
        raise ValueError(f"num_iterations must be an integer >= 1; got {num_iterations!r}")
    X = matrix("X", X, "n[0]")
    if X.shape[0] != dims[0]:
        raise ValueError(f"X has {X.shape[0]} rows but layer_dims[0] = n[0] = {dims[0]}: X must be (n[0], m)")
    output_layer(g, dims[-1], loss)
    Y = targets(Y, (dims[-1], X.shape[1]), X.dtype, loss)
    return dims, X, Y, g, rate(learning_rate)


def _first(mask: np.ndarray) -> tuple[int, ...]:
    """The index of the first True entry of ``mask``, as plain ints for the error message."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    return "missing" if value is None else f"a {type(value).__name__}"
