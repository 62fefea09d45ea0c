"""The desk's serial hardware: ticket printer, presence sensor, staff alert light.

Each device is optional and never blocks the kiosk. Protocols are pure codecs
(:mod:`device.ld2410`, :mod:`device.lightcodec`, :mod:`device.printer_status`,
:mod:`device.ticket`); transports keep their port open in reader threads and
reconnect after an unplug (:mod:`device.link`); drivers give the engine and the
kiosk small interfaces (:class:`device.desk.Desk`, :class:`device.sensor.PresenceSensor`,
:class:`device.printer.TicketPrinter`, :class:`device.light.AlertLight`).
Simulators that speak each protocol on a real pseudo-terminal live in :mod:`device.sim`.
"""
