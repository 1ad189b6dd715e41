"""NAN601 no-early-stopping: a long run that goes NaN early (the NAN101 example: data in [0, 1000], SGD 0.01),
without and with TerminateOnNaN, over 8 seeds (the data drawn anew under each). 100 epochs instead of 300 keep the 8
runs without the callback short; what they show (every epoch runs, NaN or not) does not depend on the count."""
import time

from _common import dense_autoencoder, keras, main, np, over_seeds, report, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


EPOCHS = 100


def fit(seed, callbacks):
    x = np.random.default_rng(seed).uniform(0, 1000, (256, 8)).astype("float32")
    model = dense_autoencoder(8, *ARCH, keras.optimizers.SGD(learning_rate=0.01))
    started = time.perf_counter()
    outcome = train(model, x, x, epochs=EPOCHS, batch_size=32, callbacks=callbacks)
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    return outcome


def timing(case):
    case["epochs_run"] = [r["epochs_run"] for r in case["runs"]]
    case["seconds_per_seed"] = [r["seconds"] for r in case["runs"]]
    return case


def run():
    seeds = range(8)
    return report("NAN601", {
        "example_100_epochs_no_callback": timing(over_seeds(lambda s: fit(s, []), seeds)),
        "fixed_terminate_on_nan": timing(over_seeds(lambda s: fit(s, [keras.callbacks.TerminateOnNaN()]), seeds)),
    }, epochs=EPOCHS)


if __name__ == "__main__":
    main(run)
