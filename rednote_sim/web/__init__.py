"""The room in a browser: ``rednote-sim serve`` (textual-serve over aiohttp, fully offline).

Each browser tab gets its own ``rednote-sim join`` process; this package only serves
the page, its assets and the websocket that drives that process. It imports neither
the TUI nor a room: what a tab shows is the ``join`` command's business.
"""
