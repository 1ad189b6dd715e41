"""NAN205 no-normalization: unscaled data (0-1000) with SGD, without and with a Normalization layer adapted on it;
8 seeds each."""
from _common import keras, main, np, over_seeds, report, train
from keras import layers


def data(seed):
    return np.random.default_rng(seed).uniform(0, 1000, (256, 8)).astype("float32")


def fit(x, normalization):
    inputs = keras.Input(shape=(8,))
    h = inputs
    target = x
    if normalization:
        norm = layers.Normalization()
        norm.adapt(x)
        h = norm(h)
        # The reconstruction target must be on the same scale as the normalised input.
        target = ((x - x.mean(0)) / x.std(0)).astype("float32")
    for units in [16, 4, 16]:
        h = layers.Dense(units, activation="relu")(h)
    outputs = layers.Dense(8, activation="linear")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    return train(model, x, target, epochs=5, batch_size=32)


def run():
    return report("NAN205", {
        "example_no_normalization": over_seeds(lambda s: fit(data(s), False), range(8)),
        "fixed_normalization_layer": over_seeds(lambda s: fit(data(s), True), range(8)),
    })


if __name__ == "__main__":
    main(run)
