"""The example data sets: shapes, dtypes, class balance, determinism, and one short training run."""

import functools
import re
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import datasets
from nn.words import InputError


def test_planar_shapes_and_balance():
    X, Y = datasets.planar()
    assert X.shape == (2, 400)
    assert X.dtype == np.float64
    assert Y.shape == (1, 400)
    assert set(np.unique(Y)) == {0, 1}
    assert int(Y.sum()) == 200  # half the points per class


def test_planar_is_deterministic_and_seeded():
    X1, _ = datasets.planar(seed=5)
    X2, _ = datasets.planar(seed=5)
    X3, _ = datasets.planar(seed=6)
    np.testing.assert_array_equal(X1, X2)
    assert not np.array_equal(X1, X3)


def test_planar_rejects_odd_m():
    with pytest.raises(ValueError, match="even number of points"):
        datasets.planar(m=401)


def test_breast_cancer_split_is_standardized_on_train_only():
    split = datasets.breast_cancer()
    assert split.X_train.shape[0] == split.X_test.shape[0] == 30
    assert split.X_train.shape[1] + split.X_test.shape[1] == 569
    assert split.Y_train.shape == (1, split.X_train.shape[1])
    # Standardized with the training statistics: exactly mean 0, std 1 on train, only roughly on test.
    np.testing.assert_allclose(split.X_train.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(split.X_train.std(axis=1), 1, atol=1e-12)
    assert not np.allclose(split.X_test.mean(axis=1), 0, atol=1e-12)
    # Stratified: both sides keep the class ratio 357/569 to within one sample.
    for Y in (split.Y_train, split.Y_test):
        assert abs(Y.mean() - 357 / 569) < 1 / Y.shape[1] + 1e-12
    np.testing.assert_array_equal(split.X_test, datasets.breast_cancer().X_test)


def test_breast_cancer_raw_keeps_the_features_as_scikit_learn_gives_them():
    """The same split unscaled; the breast-cancer page says the raw features range from 0 to 4254."""
    raw, split = datasets.breast_cancer(standardize=False), datasets.breast_cancer()
    assert (raw.X_train.min(), raw.X_train.max()) == (0.0, 4254.0)
    mean, std = raw.X_train.mean(axis=1, keepdims=True), raw.X_train.std(axis=1, keepdims=True)
    np.testing.assert_allclose((raw.X_test - mean) / std, split.X_test, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(raw.Y_test, split.Y_test)
    pages = Path(__file__).resolve().parents[1] / "docs" / "experiments"
    assert "the features range from 0 to 4254" in (pages / "breast_cancer.md").read_text(encoding="utf-8")
    assert "各特征的取值从 0 到 4254" in (pages / "breast_cancer.zh.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("positive", "negative"), [(1, 0), (3, 8)])
def test_digits_flattened_into_columns_in_unit_range(positive, negative):
    split = datasets.digits(positive, negative)
    assert split.X_train.shape[0] == 64
    assert split.X_train.min() >= 0
    assert split.X_train.max() == 1.0  # divided by the largest pixel value, 16
    assert set(np.unique(split.Y_train)) == {0, 1}
    np.testing.assert_array_equal(split.X_train, datasets.digits(positive, negative).X_train)


def test_digits_first_column_is_the_flattened_image():
    from sklearn.datasets import load_digits

    split = datasets.digits(1, 0)
    images = load_digits().images
    column = split.X_train[:, 0] * 16
    assert any(np.array_equal(column, image.reshape(-1)) for image in images)


RAW_BREAST_CANCER = functools.partial(datasets.breast_cancer, standardize=False)


@pytest.mark.parametrize("load", [datasets.digits, datasets.digits10, datasets.breast_cancer, RAW_BREAST_CANCER])
def test_what_a_loader_gives_is_the_callers_to_change(load):
    """The bundled sets are read once a process: a caller writing into its arrays leaves the next call's as it was."""
    first = load()
    kept = [array.copy() for array in first]
    for array in first:
        array[...] = 7
    for again, before in zip(load(), kept, strict=True):
        np.testing.assert_array_equal(again, before)


def test_digits_rejects_one_digit_twice():
    with pytest.raises(ValueError, match="two different digits"):
        datasets.digits(3, 3)


@pytest.mark.parametrize("name", ["mnist", ["planar"], 3])
def test_unknown_dataset_lists_valid_names(name):
    """A name that is none of NAMES, or not a string (a list, which no dict can look up), is named with them."""
    with pytest.raises(InputError, match="valid names: planar, breast_cancer, digits, digits10, moons"):
        datasets.load(name)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: datasets.load("planar", foo=1), r"load\('planar'\) got foo, which planar does not take: its options "
         r"are m, seed, petals, noise, legacy"),
        (lambda: datasets.load(foo=1), r"load got foo but no name: load\(name, \*\*options\) takes name, one of "
         r"planar, breast_cancer, digits, digits10, moons, and that loader's options: planar: m, seed, petals, noise, "
         r"legacy; breast_cancer: test_size, random_state, standardize; .*; moons: m, noise, random_state$"),
        (lambda: datasets.load(), r"load got no name: load\(name, \*\*options\) takes name, one of planar, "),
        (lambda: datasets.moons(m=0), "moons needs an integer number of points m >= 2"),
        (lambda: datasets.moons(noise=-1), "noise = -1: the noise is a standard deviation"),
        (lambda: datasets.moons(random_state=-1), r"random_state = -1: .* integer from 0 to 2\*\*32 - 1"),
        (lambda: datasets.planar(m="x"), "planar needs an even number of points m >= 2"),
        (lambda: datasets.digits(test_size=0), r"test_size = 0: .* of the m = 360 samples.* from 2 to 358 test"),
        (lambda: datasets.digits10(test_size=0.999), r"each of the 10 classes on both sides: from 10 to 1787 test"),
        (lambda: datasets.planar(petals=float("nan")), r"petals = nan: the rose curve's angular frequency is a finite"),
        (lambda: datasets.planar(petals="4"), r"petals = '4': the rose curve's angular frequency is a finite number"),
        (lambda: datasets.planar(petals=10**400), r"petals = 1000+: the rose curve's angular frequency is a finite"),
        (lambda: datasets.planar(petals=1e308), r"planar's angles petals · t or its noise overflowed \(overflow "),
        (lambda: datasets.planar(noise=1e308), r"planar's angles petals · t or its noise overflowed \(overflow "),
        (lambda: datasets.planar(noise=10**400), r"noise = 1000+: the noise is a standard deviation, a finite number"),
        (lambda: datasets.moons(noise=1e308), r"noise = 1e\+308 is too large for the points to be floats"),
        (lambda: datasets.planar(m=10**16),  # beyond any machine's address space, so no memory is taken
         r"planar asked numpy for an array of shape \(2, 10000000000000000\) of float64, 160000000000000000 bytes, "
         r"more memory than it could allocate: m = 10000000000000000: X is \(2, m\) and Y is \(1, m\)"),
        (lambda: datasets.moons(m=10**16), r"moons asked numpy for an array of shape .* m = 10000000000000000: X is"),
        (lambda: datasets.accuracy(np.ones((1, 2)), np.ones((0, 2))), r"P has shape \(1, 2\) and Y \(0, 2\): P is"),
        (lambda: datasets.breast_cancer(standardize="no"), r"standardize = 'no': it must be True or False; True "),
        (lambda: datasets.planar(legacy="course"), r"legacy = 'course': it must be True or False; True draws the "),
    ],
)  # fmt: skip
def test_bad_options_are_named_in_the_loaders_words(call, message):
    """An option a loader does not take, or a value scikit-learn would refuse in its own words, is named here."""
    with pytest.raises(InputError, match=message):
        call()


def test_short_planar_training_beats_a_line():
    # A linear classifier gets about 50% on the flower; 4 tanh units get past 80% in 1000 steps.
    X, Y = datasets.planar()
    names = ["tanh", "sigmoid"]
    parameters, costs = nn.train(X, Y, [2, 4, 1], names, init="small", learning_rate=1.2, num_iterations=1000, seed=3)
    assert costs[-1] < costs[0]
    assert datasets.accuracy(nn.predict(X, parameters, names), Y) > 0.8


def test_float32_stays_float32_end_to_end():
    X, Y = datasets.planar()
    X = X.astype(np.float32)
    names = ["tanh", "sigmoid"]
    parameters = nn.initialize_parameters([2, 4, 1], "small", seed=0, dtype=np.float32)
    AL, cache = nn.forward_propagation(X, parameters, names)
    grads = nn.backward_propagation(AL, Y, cache, parameters, names)
    updated = nn.update_parameters(parameters, grads, 1.2)
    arrays = {"AL": AL, **cache, **grads, **updated}
    assert {key: value.dtype for key, value in arrays.items()} == {key: np.float32 for key in arrays}
    trained, _ = nn.train(X, Y, [2, 4, 1], names, init="small", learning_rate=1.2, num_iterations=5, seed=0)
    assert all(value.dtype == np.float32 for value in trained.values())


def test_digits10_has_one_hot_columns_for_every_digit():
    split = datasets.digits10()
    assert split.X_train.shape[0] == 64
    assert split.Y_train.shape == (10, split.X_train.shape[1])
    assert split.Y_test.shape == (10, split.X_test.shape[1])
    np.testing.assert_array_equal(split.Y_train.sum(axis=0), 1)
    assert set(np.argmax(split.Y_test, axis=0)) == set(range(10))
    assert 0 <= split.X_train.min()
    assert split.X_train.max() <= 1


@pytest.mark.parametrize(
    ("P", "Y"),
    [
        (np.array([[1, 0, 1, 1, 0]]), np.array([[1], [0], [1], [1], [0]])),  # Y transposed: was 0.4, one "sample"
        (np.array([[1, 0, 1]]), np.array([[1, 0, 1, 1]])),  # m differs: numpy's broadcast error
        (np.array([1, 0, 1]), np.array([[1, 0, 1]])),  # P 1-D
        (np.ones((1, 0)), np.ones((1, 0))),  # no column: the mean of nothing, a RuntimeWarning and nan
    ],
    ids=["Y transposed", "m differs", "P one-dimensional", "m = 0"],
)
def test_accuracy_refuses_predictions_and_labels_that_do_not_line_up(P, Y):
    with pytest.raises(ValueError, match=re.escape(f"P has shape {P.shape} and Y {Y.shape}: P is (1, m)")):
        datasets.accuracy(P, Y)


def test_accuracy_compares_class_indices_with_one_hot_columns():
    Y = np.eye(3)[[0, 2, 1, 1]].T
    assert datasets.accuracy(np.array([[0, 2, 1, 0]]), Y) == 0.75
    assert datasets.accuracy(np.array([[1, 0, 1]]), np.array([[1, 1, 1]])) == pytest.approx(2 / 3)


def test_moons_are_the_course_points():
    """The course seeds numpy's global generator with 3, then calls make_moons without random_state."""
    from sklearn.datasets import make_moons

    X, Y = datasets.moons()
    np.random.seed(3)  # noqa: NPY002  (the course's legacy global seeding, reproduced on purpose)
    x, y = make_moons(n_samples=300, noise=0.2)
    np.testing.assert_array_equal(X, x.T)
    np.testing.assert_array_equal(Y, y.reshape(1, -1))
    assert (X.shape, Y.shape, int(Y.sum())) == ((2, 300), (1, 300), 150)


def test_a_plain_import_nn_gives_the_data_sets():
    """``import nn`` then ``nn.datasets.load(...)``, as the pages write it: the package itself imports it.

    (Read from the package's source: in this process another module may have imported nn.datasets already.)
    """
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(nn))
    imported = {alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert "datasets" in imported
    assert "datasets" in nn.__all__
    assert nn.datasets is datasets


def test_the_breast_cancer_majority_is_benign_at_the_shares_the_page_quotes():
    """breast_cancer.md: a run that calls every sample benign (Y = 1, the majority) scores 62.6% of the training
    samples and 63.2% of the test samples, the share of benign samples on each side of the split."""
    split = datasets.breast_cancer()
    shares = [f"{Y.mean():.1%}" for Y in (split.Y_train, split.Y_test)]
    assert all(Y.mean() > 0.5 for Y in (split.Y_train, split.Y_test))
    pages = Path(__file__).resolve().parents[1] / "docs" / "experiments"
    for page, words in (
        ("breast_cancer.md", "{} of the training samples, {} of the test samples"),
        ("breast_cancer.zh.md", "训练样本的 {}、测试样本的 {}"),
    ):
        assert words.format(*shares) in (pages / page).read_text(encoding="utf-8"), page
    assert "called benign** (the majority class)" in (pages / "breast_cancer.md").read_text(encoding="utf-8")
    assert "都判为良性**（多数类）" in (pages / "breast_cancer.zh.md").read_text(encoding="utf-8")
