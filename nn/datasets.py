r"""Small data sets for the worked examples, in the course's layout: X is ``(n[0], m)``, Y is ``(1, m)``.

Every loader is deterministic: the same arguments give the same arrays. ``planar`` is
generated here; ``moons`` is drawn by scikit-learn's ``make_moons``; ``breast_cancer``, ``digits``
and ``digits10`` are bundled with scikit-learn (no download), which is imported only when they are
asked for. ``digits10`` is the
multi-class one: its Y has one one-hot column per sample, ``(10, m)``, for a softmax output.

Example:
    >>> X, Y = planar()
    >>> X.shape, Y.shape, int(Y.sum())
    ((2, 400), (1, 400), 200)
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from typing import NamedTuple

import numpy as np

from .checks import guarded, integer
from .words import InputError, Text

NAMES = ("planar", "breast_cancer", "digits", "digits10", "moons")


class Split(NamedTuple):
    """A data set as train and test columns; ``X_test`` and ``Y_test`` are None when there is no split."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray | None
    Y_test: np.ndarray | None


#: What overflows in planar, and why.
_FLOWER_TOO_LARGE = (
    Text("planar's angles petals · t or its noise", "planar 的角度 petals · t 或噪声"),
    Text(
        "petals or noise is too large for the points to be floats; the course's flower has petals = 4 and noise = 0.2",
        "petals 或 noise 太大，点超出了浮点数的范围；课程中的花 petals = 4、noise = 0.2",
    ),
)


def _points(m, **_) -> Text:
    """A loader's sizes from its m points, for a message about memory."""
    return Text(
        f"m = {m}: X is (2, m) and Y is (1, m); fewer points need less",
        f"m = {m}：X 是 (2, m)，Y 是 (1, m)；点越少，所需的内存越少",
    )


@guarded(_FLOWER_TOO_LARGE, _points)
def planar(
    m: int = 400, seed: int = 1, petals: int = 4, noise: float = 0.2, *, legacy: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    r"""The planar "flower": two classes of points along the petals of a rose curve.

    Class j (half of the m points each) takes angles t spread over \([3.12\,j,\ 3.12\,(j + 1)]\)
    plus noise, radius \(r = 4 \sin(\text{petals} \cdot t)\) plus noise, and the point
    \((r \sin t,\ r \cos t)\). A line cannot separate the classes; a few tanh units can.

    The course's generator follows the same recipe, but draws its noise from numpy's legacy
    generator after ``np.random.seed(1)``: t's noise, then r's, for class 0, then for class 1.
    ``legacy=True`` draws the same numbers in the same order from ``np.random.RandomState(seed)``,
    so ``planar(legacy=True)`` gives the course's own 400 points.

    Args:
        m: number of points, even.
        seed: seed for ``np.random.default_rng``, or for ``np.random.RandomState`` with ``legacy``.
        petals: the rose curve's angular frequency.
        noise: standard deviation of the noise on t and on r.
        legacy: draw from numpy's legacy generator (the course's points) instead of ``default_rng``.

    Returns:
        ``(X, Y)``: X float64 ``(2, m)``, Y int ``(1, m)`` of 0s and 1s, classes in two halves.

    Example:
        >>> X, Y = planar(m=4, seed=0)
        >>> Y
        array([[0, 0, 1, 1]])
    """
    if not integer(m) or m < 2 or m % 2:
        raise InputError(Text(
            f"planar needs an even number of points m >= 2, got m = {m}",
            f"planar 需要偶数个点，m >= 2，而 m = {m}",
        ))  # fmt: skip
    _noise(noise)
    if not _finite(petals):
        raise InputError(Text(
            f"petals = {petals!r}: the rose curve's angular frequency is a finite number (4 for the course's flower)",
            f"petals = {petals!r}：玫瑰线的角频率是一个有限的数（课程中的花是 4）",
        ))  # fmt: skip
    _seed(seed)
    _flag("legacy", legacy, Text(
        "True draws the course's points from numpy's legacy generator, False from default_rng",
        "True 表示从 numpy 的旧式生成器抽取课程的点，False 表示从 default_rng 抽取",
    ))  # fmt: skip
    # --8<-- [start:planar]
    rng = np.random.RandomState(seed) if legacy else np.random.default_rng(seed)
    half = m // 2
    X = np.empty((2, m))
    for j in range(2):
        t = np.linspace(3.12 * j, 3.12 * (j + 1), half) + noise * rng.standard_normal(half)
        r = 4 * np.sin(petals * t) + noise * rng.standard_normal(half)
        X[:, j * half : (j + 1) * half] = r * np.sin(t), r * np.cos(t)
    Y = np.repeat(np.arange(2), half).reshape(1, m)
    # --8<-- [end:planar]
    return X, Y


@guarded(sizes=_points)
def moons(m: int = 300, noise: float = 0.2, random_state: int = 3) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaved half circles, scikit-learn's ``make_moons``: the course's optimization data set.

    With the defaults these are the course's 300 points: it seeds numpy's global generator with 3
    and calls ``make_moons(n_samples=300, noise=0.2)``, which draws the same points as
    ``random_state=3``.

    Returns:
        ``(X, Y)``: X float64 ``(2, m)``, Y int ``(1, m)`` of 0s and 1s.

    Example:
        >>> X, Y = moons()
        >>> X.shape, int(Y.sum())
        ((2, 300), 150)
    """
    if not integer(m) or m < 2:
        raise InputError(Text(
            f"moons needs an integer number of points m >= 2, one moon at least for each class; got m = {m!r}",
            f"moons 需要整数个点，m >= 2，两个类别的半月各至少一个点；而 m = {m!r}",
        ))  # fmt: skip
    _noise(noise)
    _seed(random_state, "random_state")
    from sklearn.datasets import make_moons  # imported only when asked for, and after the checks

    x, y = make_moons(n_samples=m, noise=noise, random_state=random_state)
    if not np.isfinite(x).all():  # scikit-learn draws an inf for a noise near the largest float, and says nothing
        raise InputError(Text(
            f"noise = {noise!r} is too large for the points to be floats: the noise is a standard deviation, "
            f"0.2 in the course's data set",
            f"noise = {noise!r} 太大，点超出了浮点数的范围：噪声是一个标准差，课程的数据集中是 0.2",
        ))  # fmt: skip
    return x.T, y.reshape(1, -1)


def breast_cancer(test_size: float = 0.2, random_state: int = 1, *, standardize: bool = True) -> Split:
    r"""Wisconsin breast cancer (569 samples, 30 features), stratified split, standardized by default.

    The split is ``train_test_split(..., stratify=y, random_state=random_state)``; each feature
    is standardized with the mean and standard deviation of the *training* columns only, so no
    information leaks from the test set. Y is 1 for benign, 0 for malignant (scikit-learn's coding).
    With ``standardize=False`` the features keep their raw values, which range from 0 to 4254.

    Returns:
        A ``Split`` of float64 X ``(30, m)`` and int Y ``(1, m)``.
    """
    _flag("standardize", standardize, Text(
        "True standardizes each feature with the training columns' mean and standard deviation, False keeps the raw "
        "values",
        "True 表示用训练列的均值和标准差标准化每个特征，False 表示保留原始值",
    ))  # fmt: skip
    data = _bundled("breast_cancer")
    x_train, x_test, y_train, y_test = _split(data.data, data.target, test_size, random_state)
    mean, std = (x_train.mean(axis=0), x_train.std(axis=0)) if standardize else (0.0, np.ones(x_train.shape[1]))
    return Split(
        (x_train - mean).T / std[:, None],
        y_train.reshape(1, -1),
        (x_test - mean).T / std[:, None],
        y_test.reshape(1, -1),
    )


def digits(positive: int = 1, negative: int = 0, test_size: float = 0.2, random_state: int = 1) -> Split:
    r"""Two classes of scikit-learn's 8×8 digits: ``positive`` (Y = 1) against ``negative`` (Y = 0).

    Each image is flattened into a column, as the course does (``images.reshape(m, -1).T``), and
    divided by 16, the largest pixel value, so X lies in [0, 1]. The split is stratified.

    Returns:
        A ``Split`` of float64 X ``(64, m)`` and int Y ``(1, m)``.
    """
    if positive == negative or not all(integer(digit) and 0 <= digit <= 9 for digit in (positive, negative)):
        raise InputError(Text(
            f"digits needs two different digits in 0..9, got {positive} and {negative}",
            f"digits 需要 0..9 中两个不同的数字，而给出的是 {positive} 和 {negative}",
        ))  # fmt: skip
    data = _bundled("digits")
    keep = np.isin(data.target, (positive, negative))
    images, y = data.images[keep], (data.target[keep] == positive).astype(int)
    x = images.reshape(images.shape[0], -1) / 16.0
    x_train, x_test, y_train, y_test = _split(x, y, test_size, random_state)
    return Split(x_train.T, y_train.reshape(1, -1), x_test.T, y_test.reshape(1, -1))


def digits10(test_size: float = 0.2, random_state: int = 1) -> Split:
    r"""All ten classes of scikit-learn's 8×8 digits, for a softmax output with cross-entropy.

    X is flattened and scaled as in :func:`digits`; Y is one-hot, ``Y[k, i] = 1`` when sample
    i shows digit k. The split is stratified.

    Returns:
        A ``Split`` of float64 X ``(64, m)`` and float64 one-hot Y ``(10, m)``.
    """
    data = _bundled("digits")
    # --8<-- [start:digits10]
    x = data.images.reshape(data.images.shape[0], -1) / 16.0
    x_train, x_test, y_train, y_test = _split(x, data.target, test_size, random_state)
    one_hot = np.eye(10)  # row k is the one-hot column of digit k
    return Split(x_train.T, one_hot[y_train].T, x_test.T, one_hot[y_test].T)
    # --8<-- [end:digits10]


def load(name: str | None = None, **options) -> Split:
    """Return the data set called ``name`` (one of ``NAMES``) as a ``Split``; planar and moons have no test set.

    ``options`` are the loader's own arguments (``load("digits", positive=3, negative=8)``); one it does
    not take is refused with the names it does take.
    """
    loaders = dict(zip(NAMES, (planar, breast_cancer, digits, digits10, moons), strict=True))
    if name is None:
        takes = {key: list(inspect.signature(loader).parameters) for key, loader in loaders.items()}
        listed = Text(
            "; ".join(f"{key}: {', '.join(options_of)}" for key, options_of in takes.items()),
            "；".join(f"{key}：{'、'.join(options_of)}" for key, options_of in takes.items()),
        )
        got = (
            Text(f"got {', '.join(options)} but no name", f"收到了 {'、'.join(options)}，却没有名称")
            if options
            else Text("got no name", "没有收到名称")
        )
        raise InputError(Text(
            f"load {got}: load(name, **options) takes name, one of {', '.join(NAMES)}, and that loader's "
            f"options: {listed}",
            f"load {got.zh}：load(name, **options) 接受 name（{'、'.join(NAMES)} 之一）"
            f"和那个加载函数的选项：{listed.zh}",
        ))  # fmt: skip
    loader = loaders.get(name) if isinstance(name, str) else None  # a list would be unhashable
    if loader is None:
        raise InputError(Text(
            f"unknown dataset {name!r}; valid names: {', '.join(NAMES)}",
            f"未知的数据集 {name!r}；可用的名称：{'、'.join(NAMES)}",
        ))  # fmt: skip
    takes = inspect.signature(loader).parameters
    unknown = [key for key in options if key not in takes]
    if unknown:
        raise InputError(Text(
            f"load({name!r}) got {', '.join(unknown)}, which {name} does not take: its options are {', '.join(takes)}",
            f"load({name!r}) 收到了 {name} 不接受的 {'、'.join(unknown)}：它的选项是 {'、'.join(takes)}",
        ))  # fmt: skip
    data = loader(**options)
    return data if isinstance(data, Split) else Split(*data, None, None)


@functools.cache
def _bundled(name: str):
    """scikit-learn's bundled data set ``name`` (``"digits"``, ``"breast_cancer"``), read from its files once a
    process: ``load_digits`` parses its table again on every call, 46 ms. Its arrays are made read-only, so what one
    caller gets cannot change what the next one does; the loaders index and scale them into new arrays."""
    from sklearn import datasets

    data = getattr(datasets, f"load_{name}")()
    for value in data.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return data


def _finite(value) -> bool:
    """Whether ``value`` is a real number (not a bool) that a float holds: finite, and an int no larger than the
    largest float."""
    try:
        return not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(value)
    except OverflowError:  # an int beyond the floats
        return False


def _flag(name: str, value, rule: Text) -> None:
    """Raise unless ``value`` is True or False (a string such as "no" would be read as True), saying what each
    means (``rule``)."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputError(Text(
            f"{name} = {value!r}: it must be True or False; {rule}",
            f"{name} = {value!r}：它必须是 True 或 False；{rule.zh}",
        ))  # fmt: skip


def _noise(noise) -> None:
    """Raise unless ``noise``, a standard deviation, is a finite number >= 0."""
    if not _finite(noise) or noise < 0:
        raise InputError(Text(
            f"noise = {noise!r}: the noise is a standard deviation, a finite number >= 0",
            f"noise = {noise!r}：噪声是一个标准差，是 >= 0 的有限数",
        ))  # fmt: skip


def _seed(value, name: str = "seed") -> None:
    """Raise unless ``value`` seeds the draws: an integer from 0 to 2³² − 1, as numpy's legacy generator and
    scikit-learn take one."""
    if not integer(value) or not 0 <= value < 2**32:
        raise InputError(Text(
            f"{name} = {value!r}: the seed of the draws is an integer from 0 to 2**32 - 1",
            f"{name} = {value!r}：抽样所用的种子是 0 到 2**32 - 1 之间的整数",
        ))  # fmt: skip


def _split(x, y, test_size, random_state):
    """scikit-learn's ``train_test_split`` of the samples x (rows) and their classes y, stratified, after
    checking that ``test_size`` leaves each class a sample on both sides."""
    from sklearn.model_selection import train_test_split

    _seed(random_state, "random_state")
    m, classes = len(y), len(np.unique(y))
    share = isinstance(test_size, numbers.Real) and not integer(test_size) and 0 < test_size < 1
    if isinstance(test_size, bool) or not (share or integer(test_size)):
        n_test = None
    else:
        n_test = math.ceil(test_size * m) if share else int(test_size)
    if n_test is None or not classes <= n_test <= m - classes:
        raise InputError(Text(
            f"test_size = {test_size!r}: the test set is a share in (0, 1) of the m = {m} samples, or their "
            f"number, and the stratified split needs at least one sample of each of the {classes} classes on "
            f"both sides: from {classes} to {m - classes} test samples",
            f"test_size = {test_size!r}：测试集是 m = {m} 个样本中 (0, 1) 之间的一个比例，或者样本的个数；"
            f"分层划分要求两边都至少有 {classes} 个类别中每一类的一个样本：测试样本从 {classes} 到 {m - classes} 个",
        ))  # fmt: skip
    return train_test_split(x, y, test_size=test_size, stratify=y, random_state=random_state)


def accuracy(P: np.ndarray, Y: np.ndarray) -> float:
    """Return the fraction of columns where the predictions P, ``(1, m)`` from ``nn.predict``, are right.

    Y is the labels ``(1, m)``, or one-hot columns ``(K, m)``, whose class is the row of the 1. P and Y of
    other shapes (Y transposed, say, which a one-hot reading would take for one sample) are refused.

    Example:
        >>> accuracy(np.array([[2, 0, 1]]), np.eye(3)[[2, 1, 1]].T)
        0.6666666666666666
    """
    P, Y = np.asarray(P), np.asarray(Y)
    if P.ndim != 2 or Y.ndim != 2 or P.shape[0] != 1 or P.shape[1] != Y.shape[1] or not P.size or not Y.size:
        raise InputError(Text(
            f"P has shape {P.shape} and Y {Y.shape}: P is (1, m), one prediction per column, and Y is (1, m) or "
            f"one-hot (K, m), with the same m >= 1 columns",
            f"P 的维度是 {P.shape}，Y 的是 {Y.shape}：P 是 (1, m)，每列一个预测；"
            f"Y 是 (1, m)，或由 one-hot 向量组成的 (K, m)，两者列数 m 相同且 m >= 1",
        ))  # fmt: skip
    labels = np.argmax(Y, axis=0).reshape(1, -1) if Y.shape[0] > 1 else Y
    return float(np.mean(P == labels))
