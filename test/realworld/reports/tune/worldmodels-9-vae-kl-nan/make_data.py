# Writes a small stand-in for the rollouts the World Models VAE trains on: 64x64 RGB frames of a
# car-racing-like scene (grey road, green grass, noise), uint8, saved with np.savez_compressed.
import numpy as np

rng = np.random.default_rng(9)
n = 150
frames = np.zeros((n, 64, 64, 3), dtype=np.uint8)
frames[..., 1] = 180
for i in range(n):
    left = rng.integers(10, 30)
    frames[i, :, left:left + 24, :] = 105
    frames[i, 48:, 28:36, 0] = 220
frames = frames.astype(np.uint8)
np.savez_compressed("rollouts.npz", obs=frames)
