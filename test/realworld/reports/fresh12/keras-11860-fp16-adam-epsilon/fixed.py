# The fix for keras-team/keras issue 11860 (https://github.com/keras-team/keras/issues/11860), the
# one that solved the same FP16 NaN in keras-team/keras issue 11832: a larger epsilon for float16,
# K.set_epsilon(1e-4). Keras 2's Adam took its epsilon from K.epsilon(); Keras 3's Adam has its own
# epsilon=1e-7, so the optimizer is written as Adam(epsilon=K.epsilon()) to keep that link.
import pandas as pd
import numpy as np
import random
from keras import backend as K
K.set_floatx('float16')
K.set_epsilon(1e-4)
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, Lambda
from keras.optimizers import Adam

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

model.compile(loss='mse', optimizer=Adam(epsilon=K.epsilon()))
hs = model.fit(X, y, validation_split=0.2, shuffle=True, epochs=10, batch_size=32, verbose=1)

print(hs.history.keys())
for i in range(10):
    ix = random.randint(0, len(df) - 1)
    out = model.predict(get_matrix(df.image_name[ix]).reshape(1, 47, 168, 3).astype('float16'), verbose=0)
    print(df.angle[ix], ' - > ', out[0][0])
