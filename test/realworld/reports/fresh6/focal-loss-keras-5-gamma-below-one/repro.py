# Re-creation of mkocabas/focal-loss-keras issue 5, "loss is not stable"
# (https://github.com/mkocabas/focal-loss-keras/issues/5). The poster trains with the repository's
# focal loss (focal_loss.py as it stood then, commit 231ba94: pt = y_pred where y_true is 1, else
# 1 - y_pred; loss = -sum(alpha * (1 - pt)**gamma * log(pt))): "the loss turns to NAN after an
# epoch. i have added K.epsilon() inside the log that was fine if gama is 2,1 if gama less than 1
# thena the loss turns to NAN again". This is that loss with K.epsilon() inside the log and gamma
# below 1 (0.5). With gamma < 1 the gradient of (1 - pt)**gamma is infinite once a prediction is
# exactly right (pt == 1 in float32), and the epsilon in the log does not reach it. The poster's
# model and data are not in the thread: a small dense sigmoid classifier (ours) on the binary
# table make_data.py writes (train.csv). Keras 3 names: keras.ops for the backend's sum, pow,
# log and clip (keras.backend keeps only epsilon of them).
import pandas as pd
import tensorflow as tf
from keras import backend as K
from keras import ops
from keras.models import Sequential
from keras.layers import Dense, Input


def focal_loss(gamma=2, alpha=2):
	def focal_loss_fixed(y_true, y_pred):
		pt = tf.where(tf.equal(y_true, 1), y_pred, 1 - y_pred)
		return -ops.sum(alpha * ops.power(1. - pt, gamma) * ops.log(pt + K.epsilon()))
	return focal_loss_fixed


data = pd.read_csv("train.csv")
X = data.drop(columns="label").values.astype("float32")
y = data["label"].values.astype("float32").reshape(-1, 1)

model = Sequential()
model.add(Input(shape=(X.shape[1],)))
model.add(Dense(64, activation="relu"))
model.add(Dense(64, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss=focal_loss(gamma=0.5), metrics=["accuracy"])
model.fit(X, y, batch_size=32, epochs=50, validation_split=0.1)
