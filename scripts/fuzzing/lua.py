"""Lua source text for values the harness puts into chunks."""


def q(text):
    """A Lua string literal for any path (spaces, quotes, UTF-8, newlines): unusual bytes as \\ddd."""
    out = []
    for b in text.encode("utf-8", "surrogateescape"):
        if 32 <= b < 127 and b not in (34, 92):
            out.append(chr(b))
        else:
            out.append("\\%03d" % b)
    return '"' + "".join(out) + '"'
