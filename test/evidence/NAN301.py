"""NAN301 high-learning-rate: standardised data, Dense 32-8-32-16, learning rates far above the optimizers' defaults. Every case over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

RELU = ([32, 8, 32, 16], ["relu", "relu", "relu", "linear"])
TANH = ([32, 8, 32, 16], ["tanh", "tanh", "tanh", "linear"])


def data(seed):
    return np.random.default_rng(seed).normal(0, 1, (512, 16)).astype("float32")


def fit(seed, arch, optimizer):
    x = data(seed)
    return train(dense_autoencoder(16, *arch, optimizer), x, x, epochs=10, batch_size=32)


def run():
    seeds = range(8)
    cases = {
        "example_adam_lr0.5_relu": over_seeds(lambda s: fit(s, RELU, keras.optimizers.Adam(learning_rate=0.5)), seeds),
        "adam_lr0.5_tanh": over_seeds(lambda s: fit(s, TANH, keras.optimizers.Adam(learning_rate=0.5)), seeds),
        "sgd_lr1.0_relu": over_seeds(lambda s: fit(s, RELU, keras.optimizers.SGD(learning_rate=1.0)), seeds),
        "sgd_lr1.0_tanh": over_seeds(lambda s: fit(s, TANH, keras.optimizers.SGD(learning_rate=1.0)), seeds),
        "sgd_lr0.1_momentum0.9_tanh": over_seeds(lambda s: fit(s, TANH, keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)), seeds),
        "fixed_adam_default": over_seeds(lambda s: fit(s, RELU, keras.optimizers.Adam()), seeds),
    }
    return report("NAN301", cases, data_variance=1.0)


if __name__ == "__main__":
    main(run)
