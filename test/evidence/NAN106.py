"""NAN106 log-of-nonpositive: np.log on counts that include zeros, np.log1p instead; np.sqrt of standardised data; and
a sqrt inside the model on a relu layer's output (keras-team/keras#13203: Dense relu, Lambda sqrt, sigmoid output,
binary cross-entropy), against sqrt(x + 1e-6), over 8 seeds; and a KL sparsity activity regularizer,
log(p / mean(activations)), on conv layers with a linear output followed by LeakyReLU (keras-team/keras#6615), against
the same regularizer on relu conv outputs, over 8 seeds; and the poisson loss on a linear output (keras-team/keras#590:
an LSTM regression, Dense(1) with no activation), against a softplus output, over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([8, 2, 8, 4], ["relu", "relu", "relu", "linear"])


def counts(seed):
    return np.random.default_rng(seed).poisson(3.0, (512, 4)).astype("float64")  # about 5% zeros


def fit(seed, transform, source=counts):
    with np.errstate(all="ignore"):
        x = transform(source(seed)).astype("float32")
    return train(dense_autoencoder(4, *ARCH, keras.optimizers.Adam()), x, x, epochs=3, batch_size=32)


def layer_sqrt_fit(seed, epsilon):
    from keras import layers, ops
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1000, 10, 10)).astype("float32")
    y = rng.integers(0, 2, (1000, 1)).astype("float32")
    inputs = keras.Input(shape=(10, 10))
    h = layers.Dense(64, activation="relu")(inputs)
    h = layers.Flatten()(h)
    h = layers.Lambda(lambda t: ops.sqrt(t + epsilon) if epsilon else ops.sqrt(t))(h)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy")
    return train(model, x, y, epochs=3, batch_size=32)


class SparseReg(keras.regularizers.Regularizer):
    """keras-team/keras#6615's KL sparsity penalty on the mean activation of each unit."""

    def __init__(self, beta=5e-1, p=1e-2):
        self.beta = beta
        self.p = p

    def __call__(self, x):
        from keras import ops
        p_hat = ops.mean(x, axis=0)
        kl = self.p * ops.log(self.p / p_hat) + (1 - self.p) * ops.log((1 - self.p) / (1 - p_hat))
        return self.beta * ops.sum(kl)


def sparse_conv_fit(seed, inner_activation):
    from keras import layers
    rng = np.random.default_rng(seed)
    x = (rng.random((512, 28, 28, 1)) < 0.2).astype("float32")
    inputs = keras.Input(shape=(28, 28, 1))
    h = layers.Conv2D(32, 3, padding="same", activation=inner_activation, activity_regularizer=SparseReg())(inputs)
    if inner_activation is None:
        h = layers.LeakyReLU(negative_slope=0.1)(h)
    h = layers.MaxPooling2D(2, padding="same")(h)
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
    h = layers.UpSampling2D(2)(h)
    outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return train(model, x, x, epochs=2, batch_size=128)


def sparse_dense_fit(seed):
    """jadhavhninad/Sparse_autoencoder's model: the KL penalty on a Dense(196, relu) code of 784-pixel images."""
    from keras import layers
    rng = np.random.default_rng(seed)
    x = (rng.random((2048, 784)) < 0.2).astype("float32") * rng.random((2048, 784)).astype("float32")
    inputs = keras.Input(shape=(784,))
    h = layers.Dense(196, activation="relu", activity_regularizer=SparseReg(beta=3, p=1e-2))(inputs)
    outputs = layers.Dense(784, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return train(model, x, x, epochs=5, batch_size=256)


def poisson_fit(seed, output_activation):
    """keras-team/keras#590's shape, smaller: an LSTM over covariates, a Dense(1) output, loss='poisson'."""
    from keras import layers
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1500, 10, 8)).astype("float32")
    y = rng.poisson(np.exp(0.5 + 0.4 * x[:, -1, 0] - 0.3 * x[:, -1, 1])).astype("float32")
    inputs = keras.Input(shape=(10, 8))
    h = layers.LSTM(32)(inputs)
    model = keras.Model(inputs, layers.Dense(1, activation=output_activation)(h))
    model.compile(optimizer="adam", loss="poisson")
    return train(model, x, y, epochs=2, batch_size=256)


def run():
    seeds = range(8)
    eight = range(8)
    standard = lambda s: np.random.default_rng(s).normal(0, 1, (512, 4))
    return report("NAN106", {
        "zeros_in_counts": int((counts(0) == 0).sum()),
        "example_log_of_counts": over_seeds(lambda s: fit(s, np.log), seeds),
        "fixed_log1p": over_seeds(lambda s: fit(s, np.log1p), seeds),
        "sqrt_of_standardised": over_seeds(lambda s: fit(s, np.sqrt, standard), seeds),
        "layer_sqrt_of_relu": over_seeds(lambda s: layer_sqrt_fit(s, 0.0), eight),
        "layer_sqrt_of_relu_plus_1e-6": over_seeds(lambda s: layer_sqrt_fit(s, 1e-6), eight),
        "kl_activity_regularizer_linear_output": over_seeds(lambda s: sparse_conv_fit(s, None), eight),
        "kl_activity_regularizer_relu_output": over_seeds(lambda s: sparse_conv_fit(s, "relu"), eight),
        "kl_activity_regularizer_dense_relu": over_seeds(sparse_dense_fit, eight),
        "poisson_loss_linear_output": over_seeds(lambda s: poisson_fit(s, None), eight),
        "poisson_loss_softplus_output": over_seeds(lambda s: poisson_fit(s, "softplus"), eight),
    })


if __name__ == "__main__":
    main(run)
