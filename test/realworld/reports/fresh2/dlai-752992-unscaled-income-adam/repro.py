# Re-creation of https://community.deeplearning.ai/t/linear-regression-with-neural-network-need-help-and-advice/752992
# ("Linear regression with neural network (need help and advice)"): one Dense(1, linear) on inputs
# standardized by a Normalization layer adapted to X (20 rows, 2 features), Adam(1e-3), MSE, 200
# epochs, the target Y the income in dollars; "my losses start very high (order 1e9), and the
# algorithm fails to converge fast (even with 200 epochs, losses are still decaying linearly)". A
# reply: the labels (27840 to 63600) are not scaled, and Adam's steps of about the learning rate
# make it worse. The loading lines are ours (make_data.py writes a CSV like the Kaggle one); the
# model lines are the poster's.
import pandas as pd
import tensorflow as tf

data = pd.read_csv('multiple_linear_regression_dataset.csv')
X = data[['age', 'experience']].values.astype('float32')
Y = data['income'].values.astype('float32')

#######################################################
# neural network (1 neuron) to compute linear regression 
model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(X.shape[1],)),    #define imput shape
    tf.keras.layers.Dense(1, activation='linear')  #one layer with linear activation (linear regression model)
])

# Create the normalization layer
normalizer = tf.keras.layers.Normalization(axis=-1)

# Fit the normalizer to your data
normalizer.adapt(X)

# Apply normalization to your data
X_norm = normalizer(X)

model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),\
              loss=tf.keras.losses.MeanSquaredError())
model.fit(X_norm,Y,epochs = 200,verbose=1)
########################################################
