"""Spoken call-outs: a chime, then the call in the ticket's language and in the branch's default language.

``phrasing`` says a call as phrase keys, per language (pure); ``espeak`` renders a
key's words once into a cache; ``pack`` reads a branch's recorded voice pack;
``audio`` brings every clip to one format; ``announcer`` joins a call's clips into
one WAV; ``cli`` is ``frontdesk voice``. Use::

    from kiosk.voice.announcer import Announcer
    announcer = Announcer(cfg)
    announcer.prepare()                      # at start: every clip ready in memory
    call = announcer.render("A007", 3, "hy")  # call.wav: bytes of one WAV, ready to play
"""
