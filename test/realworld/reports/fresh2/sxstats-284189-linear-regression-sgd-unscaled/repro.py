# Re-creation of https://stats.stackexchange.com/questions/284189 ("Simple Linear Regression in
# Keras"): one Dense(1, linear) fitted with keras.optimizers.SGD() (default learning rate), MSE,
# batch_size=1, 30 epochs, one column of a downloaded dataset predicting another; "Running the model
# like that gives me nan loss on every epoch", and only SGD(lr=0.0000001) fits. The answer: no
# normalization was done; standardize x and y. The data was not posted: make_data.py writes
# television.csv (the loading lines and `import keras` are ours; the model lines are the asker's).
import keras
import pandas as pd
from keras.layers import Input, Dense
from keras.models import Model

data = pd.read_csv('television.csv')
x = data[['x']].values
y = data[['y']].values

inputs = Input(shape=(1,))
preds = Dense(1,activation='linear')(inputs)

model = Model(inputs=inputs,outputs=preds)
sgd=keras.optimizers.SGD()
model.compile(optimizer=sgd ,loss='mse',metrics=['mse'])
model.fit(x,y, batch_size=1, epochs=30, shuffle=False)
