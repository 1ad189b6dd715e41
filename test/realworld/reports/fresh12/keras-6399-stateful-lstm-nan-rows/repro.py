# Re-creation of keras-team/keras issue 6399, "Increasing the size of data leads to 'loss: nan' for
# LSTM" (https://github.com/keras-team/keras/issues/6399): a stateful LSTM(4) with
# batch_input_shape=(10, LOOK_BACK, 1), BatchNormalization, Dropout(0.2) and Dense(1), compiled with
# mean_squared_error and SGD(lr=0.005, clipnorm=0.1), fit for 10 epochs at batch 10 with shuffle:
# "I am getting 'loss: nan' when I increase the size of train data from 1000 to 2000 or when I
# increase the LOOK_BACK from 5 to 10 ... I have also tried normalized train data, and still got
# nan." No reply names a cause. The re-creation keeps the issue's model, compile and fit; how trainX
# and trainY were made is not in the issue, so they are filled in as the time-series tutorial its
# names come from does it (read_csv of one column, MinMaxScaler, create_dataset with LOOK_BACK), on
# series.csv (make_data.py), a stand-in series with three empty cells after row 1000, and the 2000
# training rows. A stateful fit needs a whole number of batches, so trainX is cut to a multiple of
# batch_size (the tutorial's sizes were); Keras 3 takes the batch shape from an Input(batch_shape=...),
# and lr and nb_epoch are learning_rate and epochs. The cause, our reading: the longer training
# series reaches rows with missing values, which read_csv gives as NaN and MinMaxScaler keeps, so
# some windows hold NaN (it does not explain the LOOK_BACK observation).
import numpy
from pandas import read_csv
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Input, LSTM, Dense, Dropout, BatchNormalization
from keras import layers, optimizers


# convert an array of values into a dataset matrix
def create_dataset(dataset, look_back=1):
    dataX, dataY = [], []
    for i in range(len(dataset)-look_back-1):
        a = dataset[i:(i+look_back), 0]
        dataX.append(a)
        dataY.append(dataset[i + look_back, 0])
    return numpy.array(dataX), numpy.array(dataY)


numpy.random.seed(7)
dataframe = read_csv('series.csv', usecols=[1], engine='python')
dataset = dataframe.values
dataset = dataset.astype('float32')
scaler = MinMaxScaler(feature_range=(0, 1))
dataset = scaler.fit_transform(dataset)

train_size = 2000
train = dataset[0:train_size, :]

LOOK_BACK = 5
batch_size = 10
trainX, trainY = create_dataset(train, LOOK_BACK)
n = (len(trainX) // batch_size) * batch_size
trainX, trainY = trainX[:n], trainY[:n]
trainX = numpy.reshape(trainX, (trainX.shape[0], trainX.shape[1], 1))

model = Sequential()
model.add(Input(batch_shape=(batch_size, LOOK_BACK, 1)))
model.add(LSTM(4, stateful=True))
model.add(BatchNormalization())
model.add(layers.Dropout(0.2))
model.add(Dense(1))
sgd = optimizers.SGD(learning_rate=0.005, clipnorm=0.1)
model.compile(loss='mean_squared_error', optimizer=sgd)

model.fit(trainX, trainY, epochs=10, batch_size=batch_size, verbose=1, shuffle=True)
