"""NAN503 val-distribution-shift: the seed's Example 1 (validation values beyond the training range) and a
validation_split on data sorted by time, against
the same data shuffled first; every case over 8 seeds (the model's initial weights, and the shuffle, differ by seed;
Example 1's five rows are the example's own)."""
from _common import keras, main, np, over_seeds, report, train


def seed_example():
    from keras import layers
    x_train = np.array([[1, 1000], [2, 2000], [3, 3000]], dtype="float32")
    x_val = np.array([[4, 4000], [5, 5000]], dtype="float32")
    inputs = keras.Input(shape=(2,))
    e = layers.Dense(1, activation="relu")(inputs)
    d = layers.Dense(2, activation="linear")(e)
    m = keras.Model(inputs, d)
    m.compile(optimizer="adam", loss="mse")
    return train(m, x_train, x_train, epochs=100, validation_data=(x_val, x_val))


def sorted_split(seed, shuffle_first):
    from keras import layers
    t = np.arange(2000, dtype="float32")
    x = np.stack([np.sin(t / 50) + t / 500, np.cos(t / 50) + t / 1000], axis=1).astype("float32")
    mean, std = x[:1600].mean(axis=0), x[:1600].std(axis=0)
    x = (x - mean) / std
    if shuffle_first:
        x = x[np.random.default_rng(seed).permutation(len(x))]
    inputs = keras.Input(shape=(2,))
    h = layers.Dense(8, activation="relu")(inputs)
    h = layers.Dense(1, activation="relu")(h)
    h = layers.Dense(8, activation="relu")(h)
    out = layers.Dense(2)(h)
    m = keras.Model(inputs, out)
    m.compile(optimizer="adam", loss="mse")
    return train(m, x, x, epochs=20, batch_size=32, validation_split=0.2)


def val_losses(case):
    case["final_val_losses"] = [r.get("final_val_loss") for r in case["runs"]]
    return case


def run():
    return report("NAN503", {
        "seed_example_1_relu_linear": val_losses(over_seeds(lambda s: seed_example(), range(8))),
        "sorted_by_time_validation_split": val_losses(over_seeds(lambda s: sorted_split(s, False), range(8))),
        "shuffled_validation_split": val_losses(over_seeds(lambda s: sorted_split(s, True), range(8))),
    })


if __name__ == "__main__":
    main(run)
