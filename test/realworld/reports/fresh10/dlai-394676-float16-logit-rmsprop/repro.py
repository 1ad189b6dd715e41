# Re-creation of the DeepLearning.AI community thread "Binary classification - Simplest
# classification task"
# (https://community.deeplearning.ai/t/binary-classification-simplest-classification-task/394676):
# one linear float16 neuron fitted to two points, [-1] -> 1 and [1] -> 0, with a binary
# cross-entropy on logits and compile's default optimizer (RMSprop at 0.001); "this model is unable
# to overfit the training data (or predict probability exactly 1 for '-1' and 0 for '1')". The
# poster later reports the fix: "I needed way higher learning rate (2.55)". The poster's code as
# written, with metrics given as a list (Keras 3 refuses the string).
import numpy as np
import tensorflow as tf

features = np.array([[-1], [1.]], dtype=np.float16)
labels = np.array([1., 0.], dtype=np.float16)

model = tf.keras.models.Sequential([
tf.keras.layers.Input(shape=(1,)),
tf.keras.layers.Dense(1, activation='linear', dtype=tf.float16)
])

model.compile(
loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
metrics=['accuracy']
)

model.fit(features, labels, None, 100000)
