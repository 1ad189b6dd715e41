# Re-creation of lmoroney/tfbook issue 24, "Issue on chapter 10 optimizer"
# (https://github.com/lmoroney/tfbook/issues/24): "On chapter 10, optimizer=SGD(lr=1e-6,
# momentum=0.9) breaks the model trainning, making it predict always "nan". Leaving it blank
# (that defaults to adam optimizer), fix the issue: model.compile(loss="mse")". The program is
# the book's chapter10/windowed_timeseries.ipynb up to its first fit, from the repository: a
# synthetic series (baseline 10, slope 0.09, a yearly pattern of amplitude 20, noise 5; values
# up to about 130) cut into windows of 20 values, a Dense 10-10-1 network, mse, 100 epochs. The
# plots are left out. The Keras of TensorFlow 2.11 and later (Keras 2.11 to 2.15) pops an `lr`
# argument of its optimizers with a warning ("`lr` is deprecated in Keras optimizer, please use
# `learning_rate`") and does not use it, so the poster's SGD ran at its default learning rate,
# 0.01, with momentum 0.9, on unscaled values: Keras 3 refuses `lr`, and the re-creation drops it
# as the poster's Keras did (the book's 1e-6 was never applied).
# Keras 3 names: an Input layer for input_shape; keras imported from tensorflow as in the book.
import tensorflow as tf
import numpy as np


def trend(time, slope=0):
    return slope * time

def seasonal_pattern(season_time):
    """Just an arbitrary pattern, you can change it if you wish"""
    return np.where(season_time < 0.4,
                    np.cos(season_time * 2 * np.pi),
                    1 / np.exp(3 * season_time))

def seasonality(time, period, amplitude=1, phase=0):
    """Repeats the same pattern at each period"""
    season_time = ((time + phase) % period) / period
    return amplitude * seasonal_pattern(season_time)

def noise(time, noise_level=1, seed=None):
    rnd = np.random.RandomState(seed)
    return rnd.randn(len(time)) * noise_level

time = np.arange(4 * 365 + 1, dtype="float32")
baseline = 10
series = trend(time, 0.1)
baseline = 10
amplitude = 20
slope = 0.09
noise_level = 5

# Create the series
series = baseline + trend(time, slope) + seasonality(time, period=365, amplitude=amplitude)
# Update with noise
series += noise(time, noise_level, seed=42)

split_time = 1000
time_train = time[:split_time]
x_train = series[:split_time]
time_valid = time[split_time:]
x_valid = series[split_time:]

window_size = 20
batch_size = 32
shuffle_buffer_size = 1000


def windowed_dataset(series, window_size, batch_size, shuffle_buffer):
  dataset = tf.data.Dataset.from_tensor_slices(series)
  dataset = dataset.window(window_size + 1, shift=1, drop_remainder=True)
  dataset = dataset.flat_map(lambda window: window.batch(window_size + 1))
  dataset = dataset.shuffle(shuffle_buffer).map(lambda window: (window[:-1], window[-1]))
  dataset = dataset.batch(batch_size).prefetch(1)
  return dataset


dataset = windowed_dataset(x_train, window_size, batch_size, shuffle_buffer_size)


model = tf.keras.models.Sequential([
    tf.keras.layers.Input(shape=[window_size]),
    tf.keras.layers.Dense(10, activation="relu"),
    tf.keras.layers.Dense(10, activation="relu"),
    tf.keras.layers.Dense(1)
])

model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(momentum=0.9))
model.fit(dataset,epochs=100,verbose=1)

start_point=1000

print(series[start_point:start_point+window_size])
print(series[start_point+window_size])
print(model.predict(series[start_point:start_point+window_size][np.newaxis]))
