"""Training script for a sensor-data autoencoder: helpers first, the model at the end."""
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense

def clean_temperature(values):
    """Returns the temperature readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_pressure(values):
    """Returns the pressure readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_humidity(values):
    """Returns the humidity readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_voltage(values):
    """Returns the voltage readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_current(values):
    """Returns the current readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_vibration(values):
    """Returns the vibration readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_flow(values):
    """Returns the flow readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_torque(values):
    """Returns the torque readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_speed(values):
    """Returns the speed readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_load(values):
    """Returns the load readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_level(values):
    """Returns the level readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_power(values):
    """Returns the power readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_noise(values):
    """Returns the noise readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_strain(values):
    """Returns the strain readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_angle(values):
    """Returns the angle readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_depth(values):
    """Returns the depth readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_weight(values):
    """Returns the weight readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_light(values):
    """Returns the light readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_sound(values):
    """Returns the sound readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_gas(values):
    """Returns the gas readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_ph(values):
    """Returns the ph readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_salinity(values):
    """Returns the salinity readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_density(values):
    """Returns the density readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_altitude(values):
    """Returns the altitude readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_heading(values):
    """Returns the heading readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")

def clean_rpm(values):
    """Returns the rpm readings with missing entries replaced by the previous reading."""
    cleaned = []
    previous = 0.0
    for value in values:
        if value is None:
            value = previous
        cleaned.append(value)
        previous = value
    return np.asarray(cleaned, dtype="float32")


X_train = np.array([[1, 1000], [2, 2000], [3, 3000]])
X_val = np.array([[4, 4000], [5, 5000]])

input_layer = Input(shape=(2,))
encoder = Dense(1, activation='sigmoid')(input_layer)
decoder = Dense(2, activation='sigmoid')(encoder)

autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
autoencoder.fit(X_train, X_train, epochs=100, validation_data=(X_val, X_val))
