"""The learner's toolkit, without a user interface: dictionary, pinyin, tones, HSK, diffs.

* :mod:`~rednote_sim.lang.lookup`: Chinese <-> English look-ups (CC-CEDICT plus
  the glossary and other entry sources, with HSK levels and measure words);
* :mod:`~rednote_sim.lang.tones`: tone numbers, tone marks, Pleco's palette and
  HTML spans per tone;
* :mod:`~rednote_sim.lang.pinyin`: tone-marked pinyin of a text or a word, and
  :mod:`~rednote_sim.lang.segment`: jieba word segmentation (with the glossary's words);
* :mod:`~rednote_sim.lang.readings`: readings of Chinese text in context (pypinyin),
  with optional tone sandhi;
* :mod:`~rednote_sim.lang.hsk`: the HSK level of a word and of a line;
* :mod:`~rednote_sim.lang.diff`: word-level diffs of a line and its correction.

Nothing here imports Textual, the store or the CLI; the data files are
loaded on first use, so importing this package is cheap.
"""
