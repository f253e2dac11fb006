"""Build a tiny but real Argos package (en->zh) for tests.

The official English -> Chinese package cannot be had on the build machines, so
the tests make one: a one-layer CTranslate2 Transformer with small random
weights and a SentencePiece model trained on a few lines, zipped with a
``metadata.json`` exactly like a real ``.argosmodel``. It translates nonsense,
but it is loaded, batched and decoded by the same code as a real package, which
is what the en->zh code paths need to prove.
"""

from __future__ import annotations

import functools
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

NAME = "translate-en_zh"
VERSION = "0.1"
DIR_NAME = "translate-en_zh-0_1"

_CORPUS = [
    "hello from ohio, i love my cat and the cat tax",
    "welcome to rednote, where are you from?",
    "my chinese spy says hi. thank you so much!",
    "XQ0 XQ1 XQ2 XQ3 XQ4 XQ5 XQ6 XQ7 XQ8 XQ9",
    "你好 欢迎 我的猫 小红书 谢谢 朋友 美国 中国",
    "猫税 很可爱 今天 吃饭 学习 英语 中文",
    "the quick brown fox jumps over the lazy dog 0123456789",
]
_D_MODEL = 16
_FFN = 32
_HEADS = 2


def _train_sentencepiece() -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_CORPUS * 4),
        model_writer=model,
        vocab_size=120,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
    )
    return model.getvalue()


def _fill(spec: Any, vocab_size: int, rng: Any) -> None:
    """Give every required weight of a Transformer spec small random values."""
    import numpy as np

    d, ff = _D_MODEL, _FFN

    def rand(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    def norm(ln: Any) -> None:
        ln.gamma = np.ones(d, dtype=np.float32)
        ln.beta = np.zeros(d, dtype=np.float32)

    def linear(lin: Any, out: int, inp: int) -> None:
        lin.weight = rand(out, inp)
        lin.bias = np.zeros(out, dtype=np.float32)

    def ffn(block: Any) -> None:
        norm(block.layer_norm)
        linear(block.linear_0, ff, d)
        linear(block.linear_1, d, ff)

    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = rand(vocab_size, d)
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        attn = layer.self_attention
        norm(attn.layer_norm)
        linear(attn.linear[0], 3 * d, d)
        linear(attn.linear[1], d, d)
        ffn(layer.ffn)
    decoder.embeddings.weight = rand(vocab_size, d)
    norm(decoder.layer_norm)
    for layer in decoder.layer:
        attn = layer.self_attention
        norm(attn.layer_norm)
        linear(attn.linear[0], 3 * d, d)
        linear(attn.linear[1], d, d)
        cross = layer.attention
        norm(cross.layer_norm)
        linear(cross.linear[0], d, d)
        linear(cross.linear[1], 2 * d, d)
        linear(cross.linear[2], d, d)
        ffn(layer.ffn)
    linear(decoder.projection, vocab_size, d)
    # Lean towards </s> (id 2) so the nonsense stays short and decoding quick.
    decoder.projection.bias[2] = 1.5


def build_package_dir(dest: Path, *, seed: int = 7) -> Path:
    """Write the package directory ``dest/translate-en_zh-0_1`` and return it."""
    import ctranslate2
    import numpy as np
    import sentencepiece as spm

    root = dest / DIR_NAME
    (root / "model").mkdir(parents=True, exist_ok=True)
    sp_bytes = _train_sentencepiece()
    (root / "sentencepiece.model").write_bytes(sp_bytes)
    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]

    spec = ctranslate2.specs.TransformerSpec.from_config(num_layers=1, num_heads=_HEADS)
    _fill(spec, len(vocab), np.random.default_rng(seed))
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.save(str(root / "model"))

    metadata = {
        "package_version": VERSION,
        "argos_version": "1.9.0",
        "from_code": "en",
        "from_name": "English",
        "to_code": "zh",
        "to_name": "Chinese",
        "type": "translate",
    }
    (root / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (root / "README.md").write_text("A tiny random en->zh model for rednote-sim's tests.\n")
    return root


def build_argosmodel(dest: Path, *, seed: int = 7) -> Path:
    """Build the package and zip it into ``dest/translate-en_zh-0_1.argosmodel``."""
    staging = dest / "tiny-build"
    root = build_package_dir(staging, seed=seed)
    archive = dest / f"{DIR_NAME}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(root, f"{DIR_NAME}/")
        for path in sorted(root.rglob("*")):
            zf.write(path, path.relative_to(staging).as_posix())
    return archive


@functools.cache
def tiny_model_files() -> dict[str, bytes]:
    """The loadable model files of the tiny package, by path inside the package directory.

    ``model/model.bin``, ``model/config.json``, … and ``sentencepiece.model``:
    what an installer needs to find a model that really loads (built once).
    """
    with tempfile.TemporaryDirectory(prefix="rnsim-tiny-") as tmp:
        root = build_package_dir(Path(tmp))
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and path.name not in ("metadata.json", "README.md")
        }
