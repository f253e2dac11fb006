"""Offline English <-> Chinese translation for chat messages.

The service (:class:`TranslationService`) is what the rest of rednote-sim uses;
below it: language detection, sentence splitting, span protection (hashtags,
mentions, URLs, emoji, numbers, glossary terms), installed Argos packages and the
batched CTranslate2 engine. Importing this package is cheap: CTranslate2,
SentencePiece and argostranslate are imported only when a model is loaded or
installed.
"""

from __future__ import annotations

from rednote_sim.translate.api import Engine, TranslationMemory, TranslationOutcome, Translator
from rednote_sim.translate.engine import ArgosEngine
from rednote_sim.translate.langid import detect_lang
from rednote_sim.translate.packages import (
    InstalledPackage,
    find_package,
    install_from,
    install_from_index,
    installed_packages,
)
from rednote_sim.translate.protect import ProtectedText, Span, protect, restore
from rednote_sim.translate.service import TranslationService, no_model_message
from rednote_sim.translate.splitter import split_sentences

__all__ = [
    "ArgosEngine",
    "Engine",
    "InstalledPackage",
    "ProtectedText",
    "Span",
    "TranslationMemory",
    "TranslationOutcome",
    "TranslationService",
    "Translator",
    "detect_lang",
    "find_package",
    "install_from",
    "install_from_index",
    "installed_packages",
    "no_model_message",
    "protect",
    "restore",
    "split_sentences",
]
