"""The QR code of a ticket's phone page, as a Kivy texture for the ticket screen.

    texture = qr_texture("http://192.168.1.20:8080/t/q3V9dQ2f8mX1pB7sK0aL4w")

Drawn by the ``qrcode`` package (dark modules on white, a quiet zone of four modules,
the size a phone camera reads from arm's length); the texture scales without smoothing
so that the modules stay sharp.
"""

from __future__ import annotations

import qrcode
from kivy.graphics.texture import Texture

MODULE_PX = 8


def qr_texture(text: str) -> Texture:
    code = qrcode.QRCode(border=4, box_size=MODULE_PX, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image().get_image().convert("RGB")
    texture = Texture.create(size=image.size, colorfmt="rgb")
    texture.blit_buffer(image.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    texture.flip_vertical()  # PIL's rows run top-down, OpenGL's bottom-up
    texture.mag_filter = texture.min_filter = "nearest"
    return texture
