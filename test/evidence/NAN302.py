"""NAN302 low-learning-rate: Adam at 1e-6 (1/1000 of its default) against the default, 50 epochs;
and the Adadelta trap: `optimizer='adadelta'` as the 2016 Keras blog's autoencoder writes it, which
meant a learning rate of 1.0 in multi-backend Keras and means 0.001 in tf.keras and Keras 3; and plain SGD on a
wide linear MSE autoencoder (784-100-784 on digit-like images, as keras-team/keras#1604 trains it), whose mean-reduced
loss divides each output's gradient by 784, at 0.001 with momentum 0.1, at the default 0.01, at 0.1 and at 1.0, against
Adam, 10 epochs over 8 seeds."""
from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def digits_like(rows=4000, dim=784, rank=10, seed=0):
    """Images in [0, 1] of low rank, as MNIST pixels are: a sigmoid of a few latent factors."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(rows, rank)) @ rng.normal(size=(rank, dim)) / np.sqrt(rank) - 1.5
    return (1 / (1 + np.exp(-6 * z))).astype("float32")


def adadelta_case(learning_rate):
    x = digits_like()

    def one(seed):
        optimizer = keras.optimizers.Adadelta() if learning_rate is None else keras.optimizers.Adadelta(learning_rate=learning_rate)
        model = dense_autoencoder(784, [32, 784], ["relu", "sigmoid"], optimizer, loss="binary_crossentropy")
        return train(model, x, x, epochs=20, batch_size=128)

    return over_seeds(one, seeds=range(8))


def wide_sgd_case(make_optimizer):
    x = digits_like(rows=2000)

    def one(seed):
        model = dense_autoencoder(784, [100, 784], [None, None], make_optimizer())
        return train(model, x, x, epochs=10, batch_size=128)

    return over_seeds(one, seeds=range(8))


def run():
    x = np.random.default_rng(0).uniform(0, 1, (256, 8)).astype("float32")
    cases = {}
    wide = digits_like(rows=2000)
    cases["wide_sgd_mean_predictor_loss"] = float(((wide - wide.mean(0)) ** 2).mean())
    cases["wide_sgd_lr1e-3_momentum0.1"] = wide_sgd_case(lambda: keras.optimizers.SGD(learning_rate=0.001, momentum=0.1))
    cases["wide_sgd_default_lr1e-2"] = wide_sgd_case(lambda: keras.optimizers.SGD())
    cases["wide_sgd_lr1e-1"] = wide_sgd_case(lambda: keras.optimizers.SGD(learning_rate=0.1))
    cases["wide_sgd_lr1"] = wide_sgd_case(lambda: keras.optimizers.SGD(learning_rate=1.0))
    cases["wide_adam_default"] = wide_sgd_case(lambda: keras.optimizers.Adam())
    for name, lr in [("example_adam_lr1e-6", 1e-6), ("fixed_adam_default", 1e-3)]:
        cases[name] = over_seeds(lambda s, lr=lr: train(dense_autoencoder(8, *ARCH, keras.optimizers.Adam(learning_rate=lr)), x, x, epochs=50, batch_size=32), range(8))
    cases["example_adadelta_default_over_seeds"] = adadelta_case(None)
    cases["fixed_adadelta_lr1_over_seeds"] = adadelta_case(1.0)
    return report("NAN302", cases, data_variance=float(x.var(0).mean()))


if __name__ == "__main__":
    main(run)
