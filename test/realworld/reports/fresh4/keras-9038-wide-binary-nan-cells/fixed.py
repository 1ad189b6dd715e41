# keras-team/keras#9038 (see repro.py) with the empty cells filled with their column's mean
# before the fit (ours; no reply in the thread names a cause or a fix).
import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Input, Dense, BatchNormalization, Activation, Dropout

rng = np.random.default_rng(9038)
values = rng.normal(size=(4000, 1440)).astype('float32')
labels = (values[:, :20].sum(axis=1) > 0).astype('float32')
missing = rng.random(values.shape) < 0.0005  # about 3 empty cells in each row
values[missing] = np.nan
train_data = pd.DataFrame(values, columns=['f%d' % i for i in range(1440)])

X=train_data.fillna(train_data.mean())
print(X.shape[1])
input_dims=X.shape[1]
act_func = 'relu'
model = Sequential()
#input layer
model.add(Input(shape=(input_dims,)))
model.add(Dense(input_dims))
model.add(BatchNormalization())
model.add(Activation('tanh'))
model.add(Dropout(0.3))
# hidden layers
model.add(Dense(input_dims))
model.add(BatchNormalization())
model.add(Activation(act_func))
model.add(Dropout(0.3))

model.add(Dense(input_dims//2))
model.add(BatchNormalization())
model.add(Activation(act_func))
model.add(Dropout(0.3))
model.add(Dense(input_dims//4, activation=act_func))

model.add(Dense(1, activation='sigmoid'))

# compile this model
model.compile(loss='binary_crossentropy', optimizer='adam' )# you can add several if needed

print(model.summary())

model.fit(X, labels, epochs=20, batch_size=64, validation_split=0.2)
