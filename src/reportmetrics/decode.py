"""Decode: a text file's bytes to plain text with `\\n` line ends, never guessing silently.

UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark or without one
when the bytes show it plainly, GB18030 for GBK/GB2312, and whatever charset-normalizer is
confident of, if it is a Chinese encoding; anything else is refused with what it looks
like. Used by `load` for text files and by `formats.html` for pages whose declared
charset is missing or wrong; it imports neither, so neither imports the other through it.
"""

from __future__ import annotations

from .errors import InputError


def decode_text(data: bytes, source: str) -> str:
    """Decode a text file's bytes; refuse binary data and encodings we cannot trust."""
    if data.startswith(b"\xef\xbb\xbf"):
        return clean_text(_strict(data[3:], "utf-8", source))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return clean_text(_strict(data, "utf-16", source))
    wide = _utf16_without_bom(data)
    if wide is not None:
        return clean_text(wide)
    try:
        return clean_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:
        if _looks_utf16(data):
            problem = "looks like UTF-16 without a byte-order mark, but is not valid UTF-16 text"
            raise InputError(source, problem)
        raise InputError(source, "binary data, not text")
    return clean_text(_detect(data, source))


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 bytes that carry no byte-order mark, when the bytes show it
    plainly: ASCII-heavy text has a zero in every other byte; Chinese text read in the
    right byte order is mostly common Han characters, which UTF-8 or GB18030 bytes
    misread as UTF-16 are not. None when the bytes are not such text."""
    if len(data) < 2 or len(data) % 2:
        return None
    sample = data[:8192]
    zeros = _looks_utf16(data)
    try:
        data.decode("utf-8")
        if not zeros:
            return None  # valid UTF-8 with no zero bytes in a pattern: UTF-8 it is
    except UnicodeDecodeError:
        pass
    orders: tuple[str, ...] = ("utf-16-le", "utf-16-be")
    if zeros:  # ASCII's zero bytes come second in little-endian order, first in big-endian
        orders = orders[:1] if sample[1::2].count(0) > sample[0::2].count(0) else orders[1:]
    for encoding in orders:
        try:
            head = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _mostly_text(head):
            continue
        han = sum(1 for ch in head if "\u4e00" <= ch <= "\u9fff")
        if zeros or (han >= 0.3 * len(head) and _common_han_share(head) >= 0.6):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not valid {encoding} text ({exc.reason})") from None


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    even_zeros = sample[1::2].count(0)
    odd_zeros = sample[0::2].count(0)
    return max(even_zeros, odd_zeros) > len(sample) // 8 and min(even_zeros, odd_zeros) == 0


_CHINESE_ENCODINGS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "hz": "hz",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
}


def _detect(data: bytes, source: str) -> str:
    """Non-UTF-8 bytes: GB18030 first (by far the commonest legacy encoding of Chinese
    government text), else what charset-normalizer names, if it is a Chinese one."""
    try:
        text = data.decode("gb18030")
        if _mostly_text(text) and _common_han_share(text) >= 0.6:
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = _CHINESE_ENCODINGS.get(best.encoding) if best is not None else None
    if encoding is None:
        found = best.encoding if best is not None else "no known encoding"
        raise InputError(source, f"cannot decode as Chinese text (looks like {found})")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(source, f"cannot decode as {encoding}") from None
    if not _mostly_text(text):
        raise InputError(source, "binary data, not text")
    return text


def _common_han_share(text: str, sample: int = 4000) -> float:
    """Share of Han characters among the 3,755 commonest (GB2312 level 1). Real
    Simplified text scores above 0.8; Big5 bytes misread as GBK score far lower."""
    han = [ch for ch in text[: sample * 4] if "\u4e00" <= ch <= "\u9fff"][:sample]
    if not han:
        return 0.0
    common = 0
    for ch in han:
        encoded = ch.encode("gb2312", errors="ignore")
        common += len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7
    return common / len(han)


def _mostly_text(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for ch in text[:20000] if ch < " " and ch not in "\n\r\t\f")
    return controls / min(len(text), 20000) < 0.01


def clean_text(text: str) -> str:
    """Decoded text without a byte-order mark, with `\\n` line ends."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
