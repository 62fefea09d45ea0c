"""The QR code of a ticket's phone page, as a Kivy texture for the ticket screen.

    texture = qr_texture("http://192.168.1.20:8080/t/q3V9dQ2f8mX1pB7sK0aL4w")

Drawn by the ``qrcode`` package (dark modules on white) at a whole number of pixels a
module, shown unscaled where it fits, without smoothing, so that the modules stay sharp.
"""

from __future__ import annotations

import qrcode
from kivy.graphics.texture import Texture

# 4 screen pixels a module, shown 1:1: a 50-character address (version 3, 29 modules, and a
# two-module margin) is 132 px, which fits the ticket screen's bottom row at 1280x800 unscaled.
# A scaled code has modules of uneven width, which readers (OpenCV's, and some phones) miss.
MODULE_PX = 4
MARGIN_MODULES = 2  # the screen's light background continues the quiet zone


def qr_texture(text: str) -> Texture:
    code = qrcode.QRCode(border=MARGIN_MODULES, box_size=MODULE_PX, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image().get_image().convert("RGB")
    texture = Texture.create(size=image.size, colorfmt="rgb")
    texture.blit_buffer(image.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    texture.flip_vertical()  # PIL's rows run top-down, OpenGL's bottom-up
    texture.mag_filter = texture.min_filter = "nearest"
    return texture
