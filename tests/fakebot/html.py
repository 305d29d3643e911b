"""Telegram's HTML parse mode, ported from TDLib's ``parse_html`` (td/telegram/MessageEntity.cpp).

``parse_html(text)`` returns ``(plain_text, entities)`` where entities are Bot API
``MessageEntity`` dicts with UTF-16 offsets, or raises :class:`HtmlParseError` whose
``message`` is exactly what Telegram puts after ``"Bad Request: can't parse entities: "``.

Behaviour mirrors TDLib byte for byte (error strings, byte offsets, ``&lt`` without ``;``,
unknown ``&entities;`` kept literally, ``</>`` closing the last tag, ...).

``strict=True`` (the fake server's default) additionally rejects things real Telegram
tolerates but which always mean "somebody forgot to escape":

* a bare ``&`` that is not a complete ``&lt; &gt; &amp; &quot; &#NN; &#xHH;`` reference
  (also ``&lt`` without ``;``),
* a bare ``>`` in text,
* ``<a>`` without ``href``.

Those errors say "(fakebot strict mode)" so nobody mistakes them for a live Telegram error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["HtmlParseError", "parse_html", "strip_formatted", "utf16_len"]

_TAGS = {
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
    "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
}
_SPACE = b" \t\r\n\x0b"  # td::is_space (plus NUL, handled explicitly)
_ENTITY_PRIORITY = {
    "blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49,
    "text_mention": 49, "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93,
    "spoiler": 94, "custom_emoji": 99,
}


class HtmlParseError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    result_pos: int  # index into result bytearray
    expandable: bool = False


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _u16_of_first_byte(c: int) -> int:
    # is_utf8_character_first_code_unit(c) -> 1 (+1 for 4-byte sequences)
    if (c & 0xC0) == 0x80:
        return 0
    return 2 if c >= 0xF0 else 1


def _decode_entity(b: bytes, pos: int) -> tuple[int, int, bool]:
    """TDLib decode_html_entity. Returns (codepoint or 0, new_pos, had_semicolon)."""
    n = len(b)

    def at(k: int) -> int:
        return b[k] if k < n else 0

    end = pos + 1
    res = 0
    if at(pos + 1) == ord("#"):
        end += 1
        if at(pos + 2) == ord("x"):
            end += 1
            while chr(at(end)) in "0123456789abcdefABCDEF" and at(end):
                res = res * 16 + int(chr(at(end)), 16)
                end += 1
        else:
            while ord("0") <= at(end) <= ord("9"):
                res = res * 10 + at(end) - ord("0")
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos, False
    else:
        while (ord("a") <= at(end) <= ord("z")) or (ord("A") <= at(end) <= ord("Z")):
            end += 1
        name = b[pos + 1:end]
        res = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}.get(name, 0)
        if not res:
            return 0, pos, False
    if at(end) == ord(";"):
        return res, end + 1, True
    return res, end, False


def _append_cp(out: bytearray, cp: int) -> None:
    # append_utf8_character_unsafe (surrogates are encoded as-is, then re-checked)
    out.extend(chr(cp).encode("utf-8", "surrogatepass"))


def _checked_link(url: str) -> str | None:
    """Rough equivalent of LinkManager::get_checked_link: returns normalised URL or None."""
    url = url.strip()
    if not url:
        return None
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) and not re.match(r"^[^:/]+\.[^:/]+:\d", url):
        scheme = url.split(":", 1)[0].lower()
        if scheme in ("http", "https"):
            parts = urlsplit(url)
            if not parts.netloc or ("." not in parts.netloc and parts.hostname not in ("localhost",)):
                return None
            if parts.path == "" and not parts.query and not parts.fragment:
                url += "/"
            return url
        if scheme in ("tg", "ton", "tonsite", "ftp", "mailto"):
            return url
        return None
    # no scheme: must look like a domain
    host = re.split(r"[/?#]", url, maxsplit=1)[0]
    if "." not in host or not re.match(r"^[a-zA-Z0-9.-]+(:\d+)?$", host):
        return None
    full = "http://" + url
    if host == url:
        full += "/"
    return full


def parse_html(text: str, *, strict: bool = False) -> tuple[str, list[dict]]:
    b = text.encode("utf-8", "surrogatepass")
    n = len(b)

    def at(k: int) -> int:
        return b[k] if k < n else 0

    def is_space(c: int) -> bool:
        return c != 0 and c in _SPACE

    out = bytearray()
    entities: list[dict] = []
    nested: list[_Open] = []
    utf16 = 0
    recheck = False
    i = 0
    while i < n:
        c = b[i]
        if c == 0x26:  # '&'
            cp, npos, semi = _decode_entity(b, i)
            if cp:
                if strict and not semi:
                    raise HtmlParseError(
                        f"HTML entity at byte offset {i} is not terminated by ';' (fakebot strict mode)")
                utf16 += 2 if cp > 0xFFFF else 1
                if 0xD800 <= cp <= 0xDFFF:
                    recheck = True
                _append_cp(out, cp)
                i = npos
                continue
            if strict:
                raise HtmlParseError(
                    f"Character '&' at byte offset {i} must be escaped as &amp; (fakebot strict mode; "
                    "real Telegram keeps it literally)")
        if c != 0x3C:  # not '<'
            if strict and c == 0x3E:
                raise HtmlParseError(
                    f"Character '>' at byte offset {i} must be escaped as &gt; (fakebot strict mode; "
                    "real Telegram keeps it literally)")
            utf16 += _u16_of_first_byte(c)
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != 0x2F:  # start tag
            while not is_space(at(i)) and at(i) != 0x3E:
                if at(i) == 0:
                    break
                i += 1
            if at(i) == 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            tag = b[begin + 1:i].decode("utf-8", "replace").lower()
            if tag not in _TAGS:
                raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument = ""
            expandable = False
            has_href = False
            while at(i) != 0x3E:
                while at(i) != 0 and is_space(at(i)):
                    i += 1
                if at(i) == 0x3E:
                    break
                attr_begin = i
                while not is_space(at(i)) and at(i) != 0x3D and at(i) != 0:
                    if tag == "blockquote" and at(i) == 0x3E:
                        break
                    i += 1
                attr_name = b[attr_begin:i].decode("utf-8", "replace")
                if not attr_name:
                    raise HtmlParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
                while at(i) != 0 and is_space(at(i)):
                    i += 1
                if at(i) != 0x3D:
                    if tag == "blockquote" and attr_name == "expandable":
                        expandable = True
                        continue
                    raise HtmlParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset {begin}')
                i += 1
                while at(i) != 0 and is_space(at(i)):
                    i += 1
                if at(i) == 0:
                    raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if at(i) not in (0x27, 0x22):
                    tok = i
                    while chr(at(i)).isascii() and (chr(at(i)).isalnum() or at(i) in (0x2E, 0x2D)) and at(i):
                        i += 1
                    value = b[tok:i].decode("utf-8", "replace").lower()
                    if not is_space(at(i)) and at(i) != 0x3E:
                        raise HtmlParseError(f"Unexpected end of name token at byte offset {tok}")
                else:
                    quote = at(i)
                    i += 1
                    vbuf = bytearray()
                    while at(i) != quote and at(i) != 0:
                        if at(i) == 0x26:
                            cp, npos, _ = _decode_entity(b, i)
                            if cp:
                                _append_cp(vbuf, cp)
                                i = npos
                                continue
                        vbuf.append(at(i))
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = vbuf.decode("utf-8", "replace")
                if at(i) == 0:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
                if tag == "a" and attr_name == "href":
                    argument = value
                    has_href = True
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
            if tag == "span" and argument != "spoiler":
                raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
            if strict and tag == "a" and not has_href:
                raise HtmlParseError(f'Tag "a" without href at byte offset {begin} (fakebot strict mode)')
            nested.append(_Open(tag, argument, utf16, len(out), expandable))
            i += 1  # skip '>'
        else:  # end tag
            if not nested:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            while not is_space(at(i)) and at(i) != 0x3E and at(i) != 0:
                i += 1
            end_tag = b[begin + 2:i].decode("utf-8", "replace").lower()
            while is_space(at(i)):
                i += 1
            if at(i) != 0x3E:
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            top = nested[-1]
            if end_tag and end_tag != top.tag:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", found "</{end_tag}>"')
            if utf16 > top.utf16_offset:
                off, length = top.utf16_offset, utf16 - top.utf16_offset
                t = top.tag
                if t in ("i", "em"):
                    entities.append({"type": "italic", "offset": off, "length": length})
                elif t in ("b", "strong"):
                    entities.append({"type": "bold", "offset": off, "length": length})
                elif t in ("s", "strike", "del"):
                    entities.append({"type": "strikethrough", "offset": off, "length": length})
                elif t in ("u", "ins"):
                    entities.append({"type": "underline", "offset": off, "length": length})
                elif t in ("tg-spoiler", "span"):
                    entities.append({"type": "spoiler", "offset": off, "length": length})
                elif t == "tg-emoji":
                    try:
                        emoji_id = int(top.argument)
                    except ValueError:
                        emoji_id = 0
                    if emoji_id == 0:
                        raise HtmlParseError("Invalid custom emoji identifier specified")
                    entities.append({"type": "custom_emoji", "offset": off, "length": length,
                                     "custom_emoji_id": str(emoji_id)})
                elif t == "a":
                    url = top.argument or out[top.result_pos:].decode("utf-8", "replace")
                    m = re.match(r"^tg://user\?id=(\d+)$", url)
                    if m:
                        entities.append({"type": "text_mention", "offset": off, "length": length,
                                         "user": {"id": int(m.group(1)), "is_bot": False, "first_name": ""}})
                    else:
                        checked = _checked_link(url)
                        if checked:
                            entities.append({"type": "text_link", "offset": off, "length": length, "url": checked})
                elif t == "pre":
                    last = entities[-1] if entities else None
                    if (last and last["type"] == "code" and last["offset"] == off and last["length"] == length
                            and last.get("_lang")):
                        last["type"] = "pre"
                        last["language"] = last.pop("_lang")
                    else:
                        entities.append({"type": "pre", "offset": off, "length": length})
                elif t == "code":
                    last = entities[-1] if entities else None
                    if (last and last["type"] == "pre" and last["offset"] == off and last["length"] == length
                            and top.argument and "language" not in last):
                        last["language"] = top.argument
                    else:
                        ent = {"type": "code", "offset": off, "length": length}
                        if top.argument:
                            ent["_lang"] = top.argument
                        entities.append(ent)
                elif t == "blockquote":
                    entities.append({"type": "expandable_blockquote" if top.expandable else "blockquote",
                                     "offset": off, "length": length})
            nested.pop()
            i += 1  # skip '>'
    if nested:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    for e in entities:
        e.pop("_lang", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)))
    try:
        result = out.decode("utf-8")
    except UnicodeDecodeError:
        if recheck:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
                "surrogate code units") from None
        raise HtmlParseError("Strings must be encoded in UTF-8") from None
    return result, entities


def strip_formatted(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim leading/trailing whitespace like Telegram does, shifting/clipping entities (UTF-16)."""
    stripped_left = text[: len(text) - len(text.lstrip())]
    new = text.strip()
    shift = utf16_len(stripped_left)
    total = utf16_len(new)
    out = []
    for e in entities:
        start = max(e["offset"] - shift, 0)
        end = min(e["offset"] + e["length"] - shift, total)
        if end > start:
            e2 = dict(e)
            e2["offset"], e2["length"] = start, end - start
            out.append(e2)
    return new, out
