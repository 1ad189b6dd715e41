"""NAN601 no-early-stopping: a 300-epoch run that goes NaN early, without and with TerminateOnNaN."""
import time

from _common import dense_autoencoder, keras, main, np, report, seeded, train

ARCH = ([16, 4, 16, 8], ["relu", "relu", "relu", "linear"])


def fit(callbacks):
    x = np.random.default_rng(1).uniform(0, 1000, (256, 8)).astype("float32")
    model = dense_autoencoder(8, *ARCH, keras.optimizers.SGD(learning_rate=0.01))
    started = time.perf_counter()
    outcome = train(model, x, x, epochs=300, batch_size=32, callbacks=callbacks)
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    return outcome


def run():
    seeded(1)
    example = fit([])
    seeded(1)
    fixed = fit([keras.callbacks.TerminateOnNaN()])
    return report("NAN601", {"example_300_epochs_no_callback": example, "fixed_terminate_on_nan": fixed})


if __name__ == "__main__":
    main(run)
