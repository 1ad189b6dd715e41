"""NAN204 too-deep: stacks of Dense(32, sigmoid) layers, with and without BatchNormalization, against relu."""
from _common import keras, main, np, report, seeded, train
from keras import layers


def fit(x, depth, activation, batchnorm=False):
    inputs = keras.Input(shape=(20,))
    h = inputs
    for _ in range(depth):
        h = layers.Dense(32, activation=activation)(h)
        if batchnorm:
            h = layers.BatchNormalization()(h)
    outputs = layers.Dense(20, activation="linear")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return train(model, x, x, epochs=50, batch_size=32)


def run():
    x = np.random.default_rng(0).uniform(0, 1, (1024, 20)).astype("float32")
    cases = {}
    for name, args in [
        ("sigmoid_8_deep", (8, "sigmoid")),
        ("sigmoid_4_deep", (4, "sigmoid")),
        ("sigmoid_8_deep_batchnorm", (8, "sigmoid", True)),
        ("relu_8_deep", (8, "relu")),
    ]:
        seeded(0)
        cases[name] = fit(x, *args)
    return report("NAN204", cases, data_variance=float(x.var(0).mean()))


if __name__ == "__main__":
    main(run)
