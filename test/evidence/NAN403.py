"""NAN403 fp16-overflow: a mixed_float16 Dense autoencoder whose output layer computes in float16, on raw sensor values
up to 300 and on standardised values, against the same model with dtype="float32" on the output layer; and on raw values up to 50000 (the first layer's
sums past 65504) and up to 100000 (past 65504 themselves), where the hidden layers overflow whatever the output's dtype.
Every case over 8 seeds."""
from _common import keras, main, np, over_seeds, report, train


def model(output_float32):
    from keras import layers
    inputs = keras.Input(shape=(16,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dense(8, activation="relu")(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(16, activation="linear", dtype="float32" if output_float32 else None)(x)
    m = keras.Model(inputs, outputs)
    m.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    return m


def fit(seed, high, output_float32):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        x = np.random.default_rng(seed).uniform(0, high, (512, 16)).astype("float32")
        m = model(output_float32)
        out = train(m, x, x, epochs=3, batch_size=32)
        out["output_dtype"] = str(m.outputs[0].dtype)
        return out
    finally:
        keras.mixed_precision.set_global_policy("float32")


def run():
    seeds = range(8)
    return report("NAN403", {
        "raw_0_300_float16_output": over_seeds(lambda s: fit(s, 300.0, False), seeds),
        "raw_0_300_float32_output": over_seeds(lambda s: fit(s, 300.0, True), seeds),
        "raw_0_1000_float16_output": over_seeds(lambda s: fit(s, 1000.0, False), seeds),
        "raw_0_1000_float32_output": over_seeds(lambda s: fit(s, 1000.0, True), seeds),
        "scaled_0_1_float16_output": over_seeds(lambda s: fit(s, 1.0, False), seeds),
        "raw_0_50000_float16_output": over_seeds(lambda s: fit(s, 50000.0, False), seeds),
        "raw_0_50000_float32_output": over_seeds(lambda s: fit(s, 50000.0, True), seeds),
        "raw_0_100000_float32_output": over_seeds(lambda s: fit(s, 100000.0, True), seeds),
    })


if __name__ == "__main__":
    main(run)
