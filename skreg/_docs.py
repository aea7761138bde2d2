"""Parameter documentation shared by the estimators' docstrings."""

# One entry per parameter of BaseDFN, in the order of its signature (numpydoc
# checks that order); estimator-specific entries go in with ``parameters``.
_PARAMETERS = {
    "hidden_layer_sizes": """\
hidden_layer_sizes : array-like of int, default=(100,)
    Units of each hidden layer; ``()`` gives a linear model.""",
    "activation": """\
activation : {"relu", "sigmoid", "logistic", "tanh", "identity"}, default="relu"
    Hidden activation (``"logistic"`` is scikit-learn's name for sigmoid).""",
    "conv_layers": """\
conv_layers : list of tuple or Conv2D, default=()
    Convolution blocks before the dense layers (parameter sharing, 7.9):
    ``(filters, kernel_size)``, ``(filters, kernel_size, pool)`` or
    :class:`skreg.Conv2D`. Each is a cross-correlation, the activation and
    an optional max-pooling; its weights are ``coefs_[i]`` of shape
    ``(kh * kw * c_in, filters)``, one bias per filter, so every penalty,
    max-norm (per filter) and solver applies unchanged. Needs dense X.""",
    "image_shape": """\
image_shape : tuple of int or None, default=None
    ``(h, w)`` or ``(h, w, c)`` of each row (flattened row-major as
    ``(h, w, c)``, one entry may be -1); None infers a square
    single-channel image. Used by ``conv_layers`` and given to an
    ``augment`` transformer whose own ``image_shape`` is None (a different
    one is an error); ignored otherwise, with a warning.""",
    "solver": """\
solver : {"adam", "sgd", "lbfgs"}, default="adam"
    Optimizer: Adam, minibatch SGD with momentum, or full-batch L-BFGS
    (scipy's), which accepts only smooth penalties and no ``max_norm``;
    it computes the objective in float64 whatever ``dtype`` (a float64 copy
    of X) and warns (``ConvergenceWarning``) when scipy stops abnormally.""",
    "penalty": """\
penalty : {"l2", "l1", "elasticnet"}, Penalty or None, default="l2"
    Weight penalty Omega (chapter 7.1), never applied to biases. The
    objective of a minibatch of n rows is
    ``mean loss + alpha / n * Omega(W)``; the L1 part is applied by a
    proximal soft-threshold step, so it gives exact zeros.""",
    "alpha": """\
alpha : float >= 0, default=1e-4
    Penalty strength.""",
    "l1_ratio": """\
l1_ratio : float in [0, 1], default=0.5
    L1 share of ``penalty="elasticnet"``.""",
    "max_norm": """\
max_norm : float > 0, MaxNorm or None, default=None
    After every update, each unit's incoming weight vector (a column of
    ``coefs_[i]``) is rescaled to norm <= max_norm (chapter 7.2).""",
    "weight_decay": """\
weight_decay : float >= 0, default=0.0
    Decoupled weight decay (Loshchilov & Hutter 2019; beyond the chapter):
    before each "sgd" or "adam" update the weights (not the biases) shrink,
    ``W <- W - lr * weight_decay * W``, with ``lr`` that update's scheduled
    learning rate (as PyTorch's ``AdamW``), outside the optimizer's moments.
    Under Adam this differs from ``penalty="l2"`` (whose gradient Adam
    rescales per coordinate); under plain SGD without momentum it equals
    ``penalty="l2"`` with ``alpha = weight_decay * batch_size``. Not part of
    ``loss_curve_``. With ``solver="lbfgs"`` it is a ``ValueError`` (use
    ``penalty="l2"``).""",
    "dropout_keep": """\
dropout_keep : float in (0, 1] or tuple of float, default=1.0
    Keep probability of each hidden unit (chapter 7.12), or a tuple
    ``(input_keep, hidden1_keep, ...)`` of length n_hidden + 1. With
    ``conv_layers`` each block's output map (after activation and pooling)
    is a hidden layer too: a float applies to it as well, and the tuple is
    ``(input_keep, conv1_keep, ..., hidden1_keep, ...)`` of length
    n_conv + n_hidden + 1.""",
    "dropout_mode": """\
dropout_mode : {"inverted", "classic"}, default="inverted"
    "inverted" scales kept units by 1/p in training; "classic" multiplies
    each layer's input by p at prediction.""",
    "input_noise": """\
input_noise : float >= 0, default=0.0
    Std of Gaussian noise added to each training batch's inputs (7.5).""",
    "weight_noise": """\
weight_noise : float >= 0, default=0.0
    Std of Gaussian noise added to the weights for each training forward
    pass; the gradient taken there updates the clean weights (7.5).""",
    "activity_alpha": """\
activity_alpha : float >= 0, default=0.0
    L1 penalty on hidden activations, ``(activity_alpha / n) sum |h|``
    (sparse representations, 7.10).""",
    "task_weights": """\
task_weights : array-like of shape (n_tasks,) or None, default=None
    Weights of the heads' losses for 2-D targets (multi-task, 7.7); None
    weights every task 1.""",
    "augment": """\
augment : transformer or None, default=None
    Its ``transform`` is applied to every training minibatch, never to
    validation rows or at prediction (dataset augmentation, 7.4), e.g.
    :class:`skreg.ImageAugmenter`.""",
    "adversarial_eps": """\
adversarial_eps : float >= 0, default=0.0
    FGSM adversarial training (7.13): each batch's objective becomes
    ``(1 - w) J(x) + w J(x + eps sign(grad_x J))``; 0 turns it off.""",
    "adversarial_weight": """\
adversarial_weight : float in [0, 1], default=0.5
    The ``w`` above.""",
    "mixup_alpha": """\
mixup_alpha : float >= 0, default=0.0
    Mixup (Zhang et al. 2018; data augmentation beyond the chapter, for any
    data): each training minibatch becomes ``lam x_i + (1 - lam) x_p(i)``
    with the same mix of the targets (one-hot or label-smoothed classes, or
    y), ``lam ~ Beta(mixup_alpha, mixup_alpha)`` and ``p`` a permutation of
    the batch, drawn per batch from the fit's generator. With sample (or
    class) weights the mixed row weighs ``lam w_i + (1 - lam) w_p(i)`` and
    its target mixes in proportion to ``lam w_i`` and ``(1 - lam) w_p(i)``,
    so its loss is that mix of the two rows' weighted losses. It acts
    before ``augment`` and ``input_noise``, never on validation rows or at
    prediction; 0 turns it off and draws nothing. With ``solver="lbfgs"``
    or unlabeled rows (``reconstruction_weight`` or an unsupervised weight
    > 0) it is a ``ValueError``.""",
    "batch_size": """\
batch_size : int or "auto", default="auto"
    Minibatch size; "auto" is ``min(200, n_samples)``. Ignored by lbfgs.""",
    "learning_rate": """\
learning_rate : {"constant", "invscaling", "adaptive", "cosine"}, default="constant"
    Step-size schedule. As scikit-learn's MLP, for ``solver="sgd"``:
    constant; ``learning_rate_init / t ** power_t`` after t training rows;
    or divided by 5 each time the training loss stops improving by ``tol``
    for ``n_iter_no_change`` epochs. "cosine" (beyond the chapter and
    scikit-learn; "sgd" and "adam") anneals it from ``learning_rate_init``
    to 0 over the ``max_iter`` epochs, updated at every minibatch:
    ``lr0 * 0.5 * (1 + cos(pi * e / max_iter))`` after ``e`` epochs
    (fractional), after any ``warmup_epochs``. The schedule sets the run's
    length: the training-loss rule of ``n_iter_no_change`` is off and
    reaching ``max_iter`` raises no ``ConvergenceWarning`` (early stopping
    still applies). ``partial_fit`` calls and a "continue" refit carry on
    the schedule (each call is one epoch); a new ``fit`` or a "retrain"
    refit restarts it. With ``solver="lbfgs"`` "cosine" is a
    ``ValueError``.""",
    "learning_rate_init": """\
learning_rate_init : float > 0, default=1e-3
    Initial step size of "sgd" and "adam".""",
    "power_t": """\
power_t : float >= 0, default=0.5
    Exponent of the "invscaling" schedule.""",
    "warmup_epochs": """\
warmup_epochs : float >= 0, default=0.0
    Linear learning-rate warm-up (Goyal et al. 2017) over the first
    ``warmup_epochs`` epochs (fractions allowed; counted in minibatches):
    update k (1-based) of the warm-up uses ``lr0 * k / (warmup_epochs *
    n_batches)``, then the "constant" or "cosine" schedule follows, the
    cosine then spanning the remaining ``max_iter - warmup_epochs`` epochs.
    Must be less than ``max_iter``; other schedules and ``solver="lbfgs"``
    are a ``ValueError``.""",
    "max_iter": """\
max_iter : int >= 1, default=200
    Maximum number of epochs (iterations for lbfgs).""",
    "shuffle": """\
shuffle : bool, default=True
    Shuffle the rows every epoch.""",
    "random_state": """\
random_state : int, RandomState instance or None, default=None
    Seeds the one numpy Generator used for initialisation, the validation
    split, shuffling, dropout masks, noise and augmentation.""",
    "tol": """\
tol : float >= 0, default=1e-4
    Minimum improvement of the monitored loss (training loss, or the
    validation loss when early stopping).""",
    "verbose": """\
verbose : bool, default=False
    Print one line per epoch to standard output, starting as scikit-learn's
    MLP: ``Iteration N, loss = ...``.""",
    "warm_start": """\
warm_start : bool, default=False
    Start from the previous fit's weights; a classifier's ``y`` must have
    the previous fit's classes.""",
    "momentum": """\
momentum : float in [0, 1), default=0.9
    Momentum of the "sgd" updates.""",
    "nesterovs_momentum": """\
nesterovs_momentum : bool, default=True
    Use Nesterov's momentum with "sgd" (when ``momentum > 0``).""",
    "early_stopping": """\
early_stopping : bool, {"patience", "gl", "pq", "up"} or EarlyStopping, default=False
    Stop on the validation loss (chapter 7.8) and restore the best weights;
    True is "patience". ``EarlyStopping(metric="brier")`` monitors the
    Brier score instead of the cross-entropy (classifiers).""",
    "validation_fraction": """\
validation_fraction : float in (0, 1), default=0.1
    Rows split off (stratified for classifiers) when early stopping and no
    ``validation_data`` is given; a split with fewer than 2 validation rows,
    or a class with fewer than 2 rows, is a ``ValueError``.""",
    "refit_strategy": """\
refit_strategy : {None, "retrain", "continue"}, default=None
    After early stopping, use the validation rows too: "retrain" trains a
    fresh network on all rows for ``best_epoch_`` epochs (algorithm 7.2),
    "continue" keeps training until the validation loss falls below the
    training loss at the best epoch (algorithm 7.3). When it already is
    below (usual with label smoothing, which the training objective
    includes), no epoch is trained and a ``UserWarning`` says so.""",
    "weight_averaging": """\
weight_averaging : None or (start, stop), default=None
    Stochastic weight averaging (Izmailov et al. 2018; beyond the chapter)
    of ``refit_strategy="retrain"``: the retraining runs
    ``ceil(stop * best_epoch_)`` epochs instead of ``best_epoch_``, and the
    network's weights are the mean of its weights at the ends of the epochs
    after ``start * best_epoch_``, so 0 <= start < stop. ``(0.75, 1.5)``
    averages the trajectory around the epoch early stopping chose, for
    ``best_epoch_ / 2`` more epochs than the plain retraining. Ignored, with a
    ``UserWarning``, without early stopping and ``refit_strategy="retrain"``.""",
    "beta_1": """\
beta_1 : float in [0, 1), default=0.9
    Adam's decay rate of the first moment estimates.""",
    "beta_2": """\
beta_2 : float in [0, 1), default=0.999
    Adam's decay rate of the second moment estimates.""",
    "epsilon": """\
epsilon : float > 0, default=1e-8
    Adam's numerical stabiliser.""",
    "n_iter_no_change": """\
n_iter_no_change : int >= 1 or inf, default=10
    Epochs without an improvement of ``tol`` before stopping; ``np.inf``
    never stops on it (as scikit-learn's MLP).""",
    "max_fun": """\
max_fun : int >= 1, default=15000
    Maximum loss evaluations of lbfgs.""",
    "weight_init": """\
weight_init : {"auto", "glorot_uniform", "he_normal", "std_normal"}, default="auto"
    "auto" is He's normal scheme for weights feeding a ReLU and Glorot's
    uniform one otherwise; "std_normal" is the chapter's N(0, 1).""",
    "dtype": """\
dtype : {numpy.float32, numpy.float64}, default=numpy.float32
    Precision of the computation and of the fitted weights.""",
}


def parameters(after=None):
    """The Parameters section of an estimator, in signature order.

    ``after`` maps a parameter name to the documentation of the estimator's
    own parameters that follow it in the signature.
    """
    after = after or {}
    return "\n".join(text + ("\n" + after[name] if name in after else "")
                     for name, text in _PARAMETERS.items())


COMMON_PARAMETERS = parameters()

COMMON_ATTRIBUTES = """\
coefs_ : list of ndarray
    Weight matrices; ``coefs_[i]`` has shape (units in, units out), or
    ``(kh * kw * c_in, filters)`` for the first ``len(conv_layers)``.
intercepts_ : list of ndarray
    Bias vectors.
loss_ : float
    Training objective of the last epoch.
best_loss_ : float or None
    Lowest training objective seen; None with early stopping, which tracks
    the validation loss instead (as scikit-learn's MLP).
loss_curve_ : list of float
    Mean objective (data + penalty) per epoch.
validation_loss_curve_ : list of float or None
    Validation data loss per epoch (no penalty), when a validation set is used;
    the Brier score with ``early_stopping=EarlyStopping(metric="brier")``.
    Continued over ``warm_start`` and ``partial_fit`` calls, as the other
    curves, but started afresh (with ``validation_scores_``) by a fit that
    monitors another metric than the fit before it.
validation_scores_ : list of float or None
    Validation accuracy (classifier) or R^2 (regressor) per epoch.
best_validation_score_ : float or None
    Validation score at the epoch of lowest validation loss.
best_epoch_ : int
    1-based epoch whose weights were kept.
stopped_epoch_ : int or None
    Epoch at which a stopping rule ended training, None if it ran to max_iter.
stopping_reason_ : str or None
    Why training stopped early.
refit_n_iter_ : int or None
    Epochs of the refit phase (``refit_strategy``): ``best_epoch_`` for
    "retrain", ``ceil(stop * best_epoch_)`` with ``weight_averaging``.
n_iter_ : int
    Epochs run by the last fit.
t_ : int
    Training rows seen by the optimizer.
n_features_in_ : int
feature_names_in_ : ndarray of str
    Only when X has string column names.
n_layers_ : int
n_outputs_ : int
out_activation_ : str"""

UNSUPERVISED_PARAMETERS = """\
vat_weight : float >= 0, default=0.0
    Virtual adversarial training (Miyato et al. 2018; chapter 7.13 on
    unlabeled rows, 7.6): adds ``vat_weight * mean_i KL(p(x_i) || p(x_i +
    r_i))`` over every row, labeled or not, with ``p(x_i)`` held fixed and
    ``r_i`` (L2 norm ``vat_eps``) the direction that changes the prediction
    most, found by ``vat_power_iterations`` power-iteration steps. On fully
    labeled data it is a supervised regularizer. Needs no labels: with any
    unsupervised weight > 0 (as with ``reconstruction_weight``), labels of
    -1 mark unlabeled rows.
vat_eps : float > 0, default=1.0
    L2 norm of each row's virtual adversarial perturbation, in input units
    (so it depends on the scaling of X).
vat_xi : float > 0, default=1e-2
    Size (L2 norm, input units) of the finite-difference probe of the power
    iteration. Miyato et al. use 1e-6, which float32 rounds away on inputs
    of order 1 (measured on MNIST pixels: the float32 direction's median
    cosine to the float64 one is 0.65 at 1e-6 and 0.9999995 at 1e-2).
vat_power_iterations : int >= 1, default=1
    Power-iteration steps towards the top eigenvector of the Hessian of the
    divergence.
consistency_weight : float >= 0, default=0.0
    Pi-model consistency (Laine & Aila 2017): adds ``consistency_weight *
    mean squared difference`` between the outputs of the batch's pass and a
    second pass with fresh dropout masks, noise and augmentation (the first
    is the fixed target). Needs ``dropout_keep < 1``, ``input_noise``,
    ``weight_noise`` or ``augment``.
entropy_weight : float >= 0, default=0.0
    Entropy minimization: adds ``entropy_weight * mean over the unlabeled
    rows of the entropy of p(y | x)`` (VAT+EntMin with ``vat_weight``).
unsupervised_rampup : float >= 0, default=0
    Training epochs (validation rows do not count) over which the three
    weights above ramp up as ``exp(-5 (1 - t)^2)`` (Laine & Aila 2017); 0
    starts at full weight. ``refit_strategy="retrain"`` starts the ramp
    again; ``solver="lbfgs"`` (no epochs) refuses a ramp.
    The training objective grows while the weights ramp up, which can trip
    the ``n_iter_no_change`` rule on the training loss: raise
    ``n_iter_no_change`` (or use early stopping) with a ramp."""
