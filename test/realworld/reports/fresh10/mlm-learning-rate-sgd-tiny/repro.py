# Re-creation of the Machine Learning Mastery post "Understand the Impact of Learning Rate on Model
# Performance With Deep Learning Neural Networks"
# (https://www.aiproblog.com/index.php/2019/01/24/understand-the-impact-of-learning-rate-on-model-performance-with-deep-learning-neural-networks/),
# section "Effect of Learning Rate and Momentum": an MLP on the three-class blobs problem, fitted
# with plain SGD at one of the post's learning rates. The post fits the model at eight rates from
# 1E-0 down to 1E-7 and reports that the smallest ones fail to learn the problem in its 200 epochs:
# "tiny rates result in a failure to train". This file fits it once, at the post's 1E-7. The post's
# code, with SGD's lr named learning_rate and the accuracy key 'accuracy' (Keras 3).
from sklearn.datasets import make_blobs
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD
from keras.utils import to_categorical
from matplotlib import pyplot

# prepare train and test dataset
def prepare_data():
	# generate 2d classification dataset
	X, y = make_blobs(n_samples=1000, centers=3, n_features=2, cluster_std=2, random_state=2)
	# one hot encode output variable
	y = to_categorical(y)
	# split into train and test
	n_train = 500
	trainX, testX = X[:n_train, :], X[n_train:, :]
	trainy, testy = y[:n_train], y[n_train:]
	return trainX, trainy, testX, testy

# fit a model and plot learning curve
def fit_model(trainX, trainy, testX, testy, lrate):
	# define model
	model = Sequential()
	model.add(Dense(50, input_dim=2, activation='relu', kernel_initializer='he_uniform'))
	model.add(Dense(3, activation='softmax'))
	# compile model
	opt = SGD(learning_rate=lrate)
	model.compile(loss='categorical_crossentropy', optimizer=opt, metrics=['accuracy'])
	# fit model
	history = model.fit(trainX, trainy, validation_data=(testX, testy), epochs=200, verbose=0)
	# plot learning curves
	pyplot.plot(history.history['accuracy'], label='train')
	pyplot.plot(history.history['val_accuracy'], label='test')
	pyplot.title('lrate='+str(lrate), pad=-50)

# prepare dataset
trainX, trainy, testX, testy = prepare_data()
# create learning curves for the learning rate
lrate = 1E-7
fit_model(trainX, trainy, testX, testy, lrate)
# show learning curves
pyplot.show()
