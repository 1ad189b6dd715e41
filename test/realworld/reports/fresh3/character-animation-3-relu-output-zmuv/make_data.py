# Writes data/data_cmu2.npz and ZMUV_locomotion.npz, the two files the repository's AutoEncoder.py
# loads (AliJalalifar/Character_Animation; the processed CMU clips are not in the repository, "due to
# it's huge size"): 'clips' of 240 frames by 70 channels (joint positions and velocities of
# locomotion), and the per-channel 'mean' and 'std' the script standardizes them with. The clips
# here are ours: 300 smooth periodic curves with a per-channel offset and scale, like walking
# cycles. data/data_cmu2.npz (20 MB) is not committed; run this script first.
import os
import numpy as np

rng = np.random.default_rng(3)
n, frames, channels = 300, 240, 70
t = np.arange(frames) / 60.0
offset = rng.normal(0, 20, channels)
scale = rng.uniform(0.5, 10, channels)
phase = rng.uniform(0, 2 * np.pi, (n, 1, channels))
freq = rng.uniform(0.8, 1.6, (n, 1, 1))
clips = offset + scale * (np.sin(2 * np.pi * freq * t[None, :, None] + phase)
                          + 0.3 * np.sin(4 * np.pi * freq * t[None, :, None] + 2 * phase)
                          + 0.05 * rng.normal(size=(n, frames, channels)))
clips = clips.astype(np.float32)
os.makedirs('data', exist_ok=True)
np.savez('data/data_cmu2.npz', clips=clips)
np.savez('ZMUV_locomotion.npz', mean=clips.mean(axis=(0, 1), keepdims=True)[0], std=clips.std(axis=(0, 1), keepdims=True)[0])
