"""NAN101 unscaled-input: 8 features uniform in [0, 1000] through Dense 16-4-16-8 relu, linear output; and an unscaled
regression target (standardised inputs, targets 4000-7000, Dense 32 relu, linear output) over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def data(seed, high=1000.0):
    return np.random.default_rng(seed).uniform(0, high, size=(256, 8)).astype("float32")


def fit(x, optimizer):
    return train(dense_autoencoder(8, *ARCH, optimizer), x, x, epochs=5, batch_size=32)


def standardised(x):
    return ((x - x.mean(0)) / x.std(0)).astype("float32")


def regression(seed, optimizer, scale_target):
    from keras import layers
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(512, 8)).astype("float32")
    y = (5500 + 1500 * np.tanh(x @ rng.normal(size=(8,)) / 3)).astype("float32")
    if scale_target:
        y = ((y - y.mean()) / y.std()).astype("float32")
    m = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(32, activation="relu"), layers.Dense(1)])
    m.compile(optimizer=optimizer, loss="mse")
    return train(m, x, y, epochs=20, batch_size=32)


def run():
    eight = range(8)
    cases = {
        "target_unscaled_adam": over_seeds(lambda s: regression(s, keras.optimizers.Adam(), False), eight),
        "target_unscaled_sgd": over_seeds(lambda s: regression(s, keras.optimizers.SGD(learning_rate=0.01), False), eight),
        "target_scaled_adam": over_seeds(lambda s: regression(s, keras.optimizers.Adam(), True), eight),
        "target_scaled_sgd": over_seeds(lambda s: regression(s, keras.optimizers.SGD(learning_rate=0.01), True), eight),
        "example_sgd": over_seeds(lambda s: fit(data(s), keras.optimizers.SGD(learning_rate=0.01)), eight),
        "same_data_adam": over_seeds(lambda s: fit(data(s), keras.optimizers.Adam()), eight),
        "fixed_standard_scaler_sgd": over_seeds(lambda s: fit(standardised(data(s)), keras.optimizers.SGD(learning_rate=0.01)), eight),
        "data_up_to_50_sgd": over_seeds(lambda s: fit(data(s, 50.0), keras.optimizers.SGD(learning_rate=0.01)), eight),
        "data_up_to_200_sgd": over_seeds(lambda s: fit(data(s, 200.0), keras.optimizers.SGD(learning_rate=0.01)), eight),
    }
    return report("NAN101", cases, data_mean_square=float(np.mean(data(0) ** 2)))


if __name__ == "__main__":
    main(run)
