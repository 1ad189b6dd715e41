# Re-creation of keras-team/keras issue 11860, "adam optimizer does not work with FP16"
# (https://github.com/keras-team/keras/issues/11860): a Sequential model trained with FP16 (an RTX
# 2080), loss='mse' and optimizer='adam' gives "loss: nan" from the first epoch; with FP32, or with
# adamax or sgd under FP16, it trains. The issue links its full code (before FP16) as the racecar
# project's model_trainer notebook: a driving log seyir.csv (FileName, Speed, Angle; 2405 rows) and
# camera frames read by file name, the steering Angle the target. The FP16 gist itself is not in the
# stored thread, so the model is filled in as the usual steering network of such notebooks (NVIDIA
# style: strided 5x5 and 3x3 Conv2D with relu, then Dense 100, 50, 10, 1) and the data are the
# stand-ins make_data.py writes (frames at 1/8 of the camera's 376x1344, kept in frames.npz by file
# name, which get_matrix reads where the notebook used cv2). The FP16 setting is
# keras.backend.set_floatx('float16') at the top. The cause, our reading: Adam's epsilon (1e-7, the
# backend epsilon in Keras 2) is below what float16 can hold beside its second-moment estimate, whose
# square root underflows to 0, so m / (sqrt(v) + eps) overflows float16 to inf and the weights to NaN
# (the Keras thread on the same symptom, issue 11832, was solved by K.set_epsilon(1e-4)).
import pandas as pd
import numpy as np
import random
from keras import backend as K
K.set_floatx('float16')
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, Lambda

df = pd.read_csv('seyir.csv')
print(df.columns)
print(len(df))
print(df.Angle.describe())
df.columns = ['image_name', 'speed', 'angle']

frames = np.load('frames.npz')

def get_matrix(fname):
    # The notebook: cv2.imread(fname); here the stand-in frame stored under the file's number.
    return frames['f' + fname.split('/')[-1].split('.')[0]]

X = np.array([get_matrix(f) for f in df.image_name]).astype('float16')
y = df.angle.values.astype('float16')

model = Sequential()
model.add(Lambda(lambda x: x / 127.5 - 1.0, input_shape=(47, 168, 3)))
model.add(Conv2D(24, (5, 5), strides=(2, 2), activation='relu'))
model.add(Conv2D(36, (5, 5), strides=(2, 2), activation='relu'))
model.add(Conv2D(48, (3, 3), strides=(2, 2), activation='relu'))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(Flatten())
model.add(Dense(100))
model.add(Dense(50))
model.add(Dense(10))
model.add(Dense(1))

model.compile(loss='mse', optimizer='adam')
hs = model.fit(X, y, validation_split=0.2, shuffle=True, epochs=10, batch_size=32, verbose=1)

print(hs.history.keys())
for i in range(10):
    ix = random.randint(0, len(df) - 1)
    out = model.predict(get_matrix(df.image_name[ix]).reshape(1, 47, 168, 3).astype('float16'), verbose=0)
    print(df.angle[ix], ' - > ', out[0][0])
