"""A session written out for people and programs: JSONL (both ways), Markdown, HTML, Anki.

:func:`rednote_sim.export.formats.export_session` is the one entry point; each
format is its own module, the handout formats share :mod:`.handout`'s collected
view of a session.
"""
