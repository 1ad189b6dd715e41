"""NAN303 small-adam-epsilon: Adam with epsilon 0, 1e-12 and the default 1e-7 on a relu autoencoder with dead units; and
Adam under float16 everywhere (K.set_floatx('float16')) at the default epsilon, with K.set_epsilon(1e-4), and with
epsilon=1e-4 passed to Adam, over 8 seeds (a fresh policy each run: set_floatx is process-wide)."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([64, 2, 64, 16], ["relu", "relu", "relu", "linear"])


def fit(seed, epsilon, high=1.0):
    x = np.random.default_rng(seed).uniform(0, high, (512, 16)).astype("float32")
    return train(dense_autoencoder(16, *ARCH, keras.optimizers.Adam(epsilon=epsilon)), x, x, epochs=20, batch_size=32)


def float16_fit(seed, make_optimizer, backend_epsilon=None):
    from keras import layers
    keras.backend.set_floatx("float16")
    keras.config.set_dtype_policy("float16")
    if backend_epsilon is not None:
        keras.backend.set_epsilon(backend_epsilon)
    try:
        x = np.random.default_rng(seed).uniform(0, 1, (1024, 64)).astype("float16")
        inputs = keras.Input(shape=(64,))
        h = layers.Dense(32, activation="relu")(inputs)
        h = layers.Dense(8, activation="relu")(h)
        h = layers.Dense(32, activation="relu")(h)
        m = keras.Model(inputs, layers.Dense(64)(h))
        m.compile(optimizer=make_optimizer(), loss="mse")
        return train(m, x, x, epochs=5, batch_size=32)
    finally:
        keras.backend.set_floatx("float32")
        keras.config.set_dtype_policy("float32")
        keras.backend.set_epsilon(1e-7)


def run():
    seeds = range(8)
    eight = range(8)
    return report("NAN303", {
        "float16_adam_default_epsilon": over_seeds(lambda s: float16_fit(s, keras.optimizers.Adam), eight),
        "float16_adam_backend_set_epsilon_1e-4": over_seeds(lambda s: float16_fit(s, keras.optimizers.Adam, 1e-4), eight),
        "float16_adam_epsilon_1e-4": over_seeds(lambda s: float16_fit(s, lambda: keras.optimizers.Adam(epsilon=1e-4)), eight),
        "float16_sgd": over_seeds(lambda s: float16_fit(s, keras.optimizers.SGD), eight),
        "example_epsilon_0": over_seeds(lambda s: fit(s, 0.0), seeds),
        "epsilon_1e-12": over_seeds(lambda s: fit(s, 1e-12), seeds),
        "fixed_default_1e-7": over_seeds(lambda s: fit(s, 1e-7), seeds),
        "adam_default_on_data_0_1000": over_seeds(lambda s: fit(s, 1e-7, 1000.0), seeds),
    })


if __name__ == "__main__":
    main(run)
