"""Benchmarks: ``python -m rednote_sim.bench translate`` (see ``translate_bench``).

The benchmark may import ``argostranslate.translate`` (stanza, torch) to run
Argos's own path for comparison; nothing in the product imports this package.
"""
