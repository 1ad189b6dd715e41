"""NAN204 too-deep: stacks of Dense(32, sigmoid) layers, with and without BatchNormalization, against relu;
every case over 8 seeds (data drawn anew under each), on 512 rows instead of 1024 to keep the 32 runs short (50 epochs as
before)."""
from _common import keras, main, np, over_seeds, report, train
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


def data(seed):
    return np.random.default_rng(seed).uniform(0, 1, (512, 20)).astype("float32")


def run():
    cases = {}
    for name, args in [
        ("sigmoid_8_deep", (8, "sigmoid")),
        ("sigmoid_4_deep", (4, "sigmoid")),
        ("sigmoid_8_deep_batchnorm", (8, "sigmoid", True)),
        ("relu_8_deep", (8, "relu")),
    ]:
        runs = over_seeds(lambda s: fit(data(s), *args), range(8))
        runs["final_loss_over_variance_per_seed"] = [
            round(r["final_loss"] / float(data(s).var(0).mean()), 3) if isinstance(r["final_loss"], float) else None for s, r in zip(range(8), runs["runs"])]
        cases[name] = runs
    return report("NAN204", cases, data_variance=float(data(0).var(0).mean()))


if __name__ == "__main__":
    main(run)
