# Re-creation of https://github.com/keras-team/keras/issues/9038 ("loss: nan - val_loss: nan in
# binary classification"): "a binary classification with huge columns (1440) and small data set
# (~4k) but i am always getting nan logloss value", from "the beginning of the iteration". The
# poster's Sequential model below: Dense(input_dims) + BatchNormalization + tanh + Dropout(0.3),
# two relu blocks, Dense(input_dims//4, relu), Dense(1, sigmoid), binary_crossentropy, adam. With
# batch normalization after every wide layer, a NaN from the first step points at the data
# itself: a non-finite cell reaches the first Dense. The thread shows neither the data nor the
# fit call and no reply names a cause: the missing cells are our reading. Ours: 4,000 rows of
# 1,440 numeric columns read as a DataFrame, with a few empty cells (NaN) as in exported sensor
# or survey tables, a label that depends on the columns, fit(epochs=20, batch_size=64,
# validation_split=0.2). Keras 3 names (an Input layer for input_dim).
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

X=train_data
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
