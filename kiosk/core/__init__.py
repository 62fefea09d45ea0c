"""The pure core: ticket lifecycle, live queue, standards, alerts and estimates.

Nothing here imports Kivy, OpenCV, mediapipe, pyserial or a database driver
(a test enforces it). Adapters feed it events and read state out of it.
"""
