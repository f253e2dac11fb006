"""The workshop's own logic, without a user interface: the phrasebook (:mod:`.vocab`).

Language tools are in :mod:`rednote_sim.lang`, exports in :mod:`rednote_sim.export`.
"""
