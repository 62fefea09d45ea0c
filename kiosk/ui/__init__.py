"""The screens: the customer's kiosk, the staff console and the manager's screen (Kivy).

Behaviour lives in plain presenter classes (``kiosk_flow``, ``staff_console``,
``manager_view``, ``pin_pad``) that a test drives without a window; the ``.kv``
files under ``kv/`` hold the layout, and ``app`` binds the two.
"""
