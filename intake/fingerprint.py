"""Near-duplicate detection for report texts: a template hash plus MinHash bands.

Scam messages are sent in bulk from templates: the same words with another name,
amount, number or link. The text is normalised (case, digits, links, punctuation and
spacing folded) and cut into overlapping character shingles (5 characters; 3 for Korean, where one
character is a whole syllable), which works for Khmer and Korean as well as English
since no word splitting is needed. From the shingles:

* a *template hash*: equal for texts that differ only in numbers, links or spacing;
* a MinHash *signature* (30 values) whose agreement estimates Jaccard similarity;
* *bands*: the signature cut into 10 groups of 3 values, each hashed. Texts whose
  similarity is 0.7 share at least one band with probability ~0.98 (and unrelated texts
  rarely do), so the store can find candidates with one indexed look-up and then confirm
  them by comparing signatures.

Pure functions; the constants are fixed so that signatures from any process compare.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

SHINGLE = 5
DENSE_SHINGLE = 3
BANDS = 10
ROWS = 3
PERMUTATIONS = BANDS * ROWS
MIN_CHARS = 24
_PRIME = np.uint64(4294967311)  # smallest prime above 2**32
# Fixed seed: every process must draw the same permutations.
_rng = np.random.default_rng(0x5CA4B07)
_A = _rng.integers(1, 2**31, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=PERMUTATIONS, dtype=np.uint64)

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}(?:/\S*)?", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Hangul syllables, CJK ideographs, kana.
_DENSE_SCRIPTS = (("\uac00", "\ud7a3"), ("\u4e00", "\u9fff"), ("\u3040", "\u30ff"))
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass(frozen=True, slots=True)
class TextFingerprint:
    """Fingerprint of one text.

    Attributes:
        template: Hex hash of the normalised text.
        signature: MinHash values.
        bands: Band keys to store and look up, the template's first (``"t:..."``).
    """

    template: str
    signature: tuple[int, ...]
    bands: tuple[str, ...]


def normalise_for_matching(text: str) -> str:
    """Fold what changes between copies of one template: case, digits, links, punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    text = _URL.sub(" 🔗 ", text)
    text = _DIGITS.sub("0", text)
    text = _NOT_WORD.sub(" ", text.replace("🔗", " link "))
    return " ".join(text.split())


def shingle_size(text: str) -> int:
    """Characters per shingle: fewer for Hangul and CJK, where one character carries a syllable."""
    letters = [c for c in text if c.isalpha()]
    dense = sum(1 for c in letters if any(lo <= c <= hi for lo, hi in _DENSE_SCRIPTS))
    return DENSE_SHINGLE if letters and dense / len(letters) > 0.3 else SHINGLE


def _shingle_hashes(text: str) -> np.ndarray:
    size = shingle_size(text)
    grams = {text[i : i + size] for i in range(max(1, len(text) - size + 1))}
    values = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams]
    return np.fromiter(values, dtype=np.uint64, count=len(values))


def fingerprint(text: str) -> TextFingerprint | None:
    """Fingerprint a report's text, or None when it is too short to compare meaningfully."""
    normal = normalise_for_matching(text)
    if len(normal) < MIN_CHARS:
        return None
    hashes = _shingle_hashes(normal)
    # (a*x + b) mod p cannot overflow: a, b < 2**31 and x < 2**32.
    permuted = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    signature = tuple(int(v) for v in permuted.min(axis=1))
    template = hashlib.sha256(normal.encode()).hexdigest()[:32]
    bands = [f"t:{template}"]
    for band in range(BANDS):
        chunk = ",".join(str(v) for v in signature[band * ROWS : (band + 1) * ROWS])
        bands.append(f"m{band}:{hashlib.blake2b(chunk.encode(), digest_size=10).hexdigest()}")
    return TextFingerprint(template=template, signature=signature, bands=tuple(bands))


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """Estimated Jaccard similarity of two texts from their signatures (0..1)."""
    if len(a) != len(b) or not a:
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
