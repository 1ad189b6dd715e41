# Re-creation of the Machine Learning Mastery post "How to Use Data Scaling Improve Deep Learning
# Model Stability and Performance"
# (https://www.aiproblog.com/index.php/2019/02/03/how-to-improve-neural-network-stability-and-modeling-performance-with-data-scaling/),
# section "Multilayer Perceptron With Unscaled Data": an MLP on scikit-learn's make_regression
# problem, inputs and target as generated: "unscaled target variables on regression problems can
# result in exploding gradients causing the learning process to fail"; in the post the model "is
# unable to learn the problem, resulting in predictions of NaN values". The post's code, with
# SGD's lr named learning_rate (Keras 3).
from sklearn.datasets import make_regression
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD
from matplotlib import pyplot
# generate regression dataset
X, y = make_regression(n_samples=1000, n_features=20, noise=0.1, random_state=1)
# split into train and test
n_train = 500
trainX, testX = X[:n_train, :], X[n_train:, :]
trainy, testy = y[:n_train], y[n_train:]
# define model
model = Sequential()
model.add(Dense(25, input_dim=20, activation='relu', kernel_initializer='he_uniform'))
model.add(Dense(1, activation='linear'))
# compile model
model.compile(loss='mean_squared_error', optimizer=SGD(learning_rate=0.01, momentum=0.9))
# fit model
history = model.fit(trainX, trainy, validation_data=(testX, testy), epochs=100, verbose=0)
# evaluate the model
train_mse = model.evaluate(trainX, trainy, verbose=0)
test_mse = model.evaluate(testX, testy, verbose=0)
print('Train: %.3f, Test: %.3f' % (train_mse, test_mse))
# plot loss during training
pyplot.title('Mean Squared Error')
pyplot.plot(history.history['loss'], label='train')
pyplot.plot(history.history['val_loss'], label='test')
pyplot.legend()
pyplot.show()
