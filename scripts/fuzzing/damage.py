"""Ways to damage a file, each deterministic given a random.Random: truncation, bit flips, byte
runs, zeroed or oversized MP4 boxes, swapped handler types, huge declared picture sizes."""
import struct
import zlib

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"udta", b"mvex"}


def boxes(data, start=0, end=None, depth=0):
    """MP4/MOV boxes as (type, offset, size, header) walking into the container boxes."""
    end = len(data) if end is None else end
    found = []
    i = start
    while i + 8 <= end:
        size, kind = struct.unpack(">I4s", data[i:i + 8])
        header = 8
        if size == 1 and i + 16 <= end:
            size = struct.unpack(">Q", data[i + 8:i + 16])[0]
            header = 16
        elif size == 0:
            size = end - i
        if size < header or i + size > end:
            break
        found.append((kind, i, size, header))
        if kind in CONTAINERS and depth < 8:
            found += boxes(data, i + header, i + size, depth + 1)
        elif kind == b"stsd" and depth < 8:  # entries: avc1/mp4a, then their avcC/esds
            found += boxes(data, i + header + 8, i + size, depth + 1)
        elif kind in (b"avc1", b"hvc1", b"mp4v") and depth < 9:
            found += boxes(data, i + header + 78, i + size, depth + 1)
        elif kind == b"mp4a" and depth < 9:
            found += boxes(data, i + header + 28, i + size, depth + 1)
        i += size
    return found


def truncations(data, rng, count):
    """Offsets to cut at: the first bytes one by one-ish, every box boundary, then spread evenly and at random."""
    n = len(data)
    points = {0, 1, 4, 7, 8, 12, 16, 31, 32, 64, 100, n - 1, n - 8, n // 2}
    for _, off, size, hdr in boxes(data):
        points |= {off, off + hdr, off + hdr + 4, off + size - 1}
    points = sorted(p for p in points if 0 <= p < n)
    extra = count - len(points)
    if extra > 0:
        points += sorted(rng.randrange(n) for _ in range(extra))
    rng.shuffle(points)
    return sorted(set(points[:count]))


def flip_bits(data, rng, bits, region):
    out = bytearray(data)
    lo, hi = region
    for _ in range(bits):
        i = rng.randrange(lo, max(lo + 1, min(hi, len(out))))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def byte_run(data, rng, region):
    out = bytearray(data)
    lo, hi = region
    length = rng.choice([1, 2, 4, 8, 16, 64, 256, 1024])
    at = rng.randrange(lo, max(lo + 1, min(hi, len(out))))
    fill = rng.choice([b"\x00", b"\xff", b"\x7f", None])
    for k in range(at, min(len(out), at + length)):
        out[k] = fill[0] if fill else rng.randrange(256)
    return bytes(out), "%s x%d @%d" % (fill.hex() if fill else "random", length, at)


def box_damages(data):
    """(label, damaged bytes) per box: payload zeroed, whole box zeroed, size set huge, size set tiny."""
    found = []
    for kind, off, size, hdr in boxes(data):
        name = kind.decode("latin-1")
        if kind == b"mdat":
            continue
        payload = bytearray(data)
        payload[off + hdr:off + size] = bytes(size - hdr)
        found.append(("%s@%d payload zeroed" % (name, off), bytes(payload)))
        whole = bytearray(data)
        whole[off:off + size] = bytes(size)
        found.append(("%s@%d zeroed" % (name, off), bytes(whole)))
        if hdr == 8:
            huge = bytearray(data)
            huge[off:off + 4] = struct.pack(">I", 0xFFFFFFF0)
            found.append(("%s@%d size 0xfffffff0" % (name, off), bytes(huge)))
            tiny = bytearray(data)
            tiny[off:off + 4] = struct.pack(">I", 9)
            found.append(("%s@%d size 9" % (name, off), bytes(tiny)))
    # Counts inside the sample tables: entries claimed far beyond the box.
    for kind, off, size, hdr in boxes(data):
        if kind in (b"stsz", b"stco", b"stts", b"stsc", b"stss", b"ctts", b"co64"):
            count_at = off + hdr + (8 if kind == b"stsz" else 4)
            if count_at + 4 <= off + size:
                big = bytearray(data)
                big[count_at:count_at + 4] = struct.pack(">I", 0x7FFFFFFF)
                found.append(("%s@%d entry count 2^31-1" % (kind.decode(), off), bytes(big)))
    return found


def swap_handlers(data):
    """The video track says it is sound and the sound track says it is video."""
    out = bytearray(data)
    swapped = 0
    for kind, off, size, hdr in boxes(data):
        if kind == b"hdlr":
            at = off + hdr + 8
            h = bytes(out[at:at + 4])
            if h in (b"vide", b"soun"):
                out[at:at + 4] = b"soun" if h == b"vide" else b"vide"
                swapped += 1
    return bytes(out) if swapped == 2 else None


def swap_tracks(data):
    """The two trak boxes in the other order (valid: players must not assume video first)."""
    traks = [(off, size) for kind, off, size, _ in boxes(data) if kind == b"trak"]
    if len(traks) != 2 or traks[0][0] + traks[0][1] != traks[1][0]:
        return None
    (a, sa), (b, sb) = traks
    return data[:a] + data[b:b + sb] + data[a:a + sa] + data[b + sb:]


def png_with_size(data, width, height):
    """The IHDR claims another size, its CRC fixed so the decoder believes it."""
    assert data[12:16] == b"IHDR"
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return data[:16] + bytes(ihdr) + crc + data[33:]


def jpeg_with_size(data, width, height):
    """The SOF marker claims another size."""
    i = 2
    out = bytearray(data)
    while i + 4 < len(out):
        if out[i] != 0xFF:
            return None
        marker = out[i + 1]
        length = struct.unpack(">H", out[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            out[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(out)
        i += 2 + length
    return None
