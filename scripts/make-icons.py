#!/usr/bin/env python3
"""Draws the app icon (a check mark on a rounded teal square) as RGBA PNGs for the bundler."""
import struct
import sys
import zlib
from pathlib import Path


def png(size: int) -> bytes:
    rows = []
    r = size * 0.18
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            cx = min(max(x + 0.5, r), size - r)
            cy = min(max(y + 0.5, r), size - r)
            inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r
            u, v = (x + 0.5) / size, (y + 0.5) / size
            # check mark: two thick strokes
            def near(ax, ay, bx, by, w=0.075):
                dx, dy = bx - ax, by - ay
                t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
                return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2 <= w * w
            tick = near(0.25, 0.52, 0.43, 0.70) or near(0.43, 0.70, 0.76, 0.32)
            if not inside:
                row += bytes([0, 0, 0, 0])
            elif tick:
                row += bytes([255, 255, 255, 255])
            else:
                row += bytes([15, 118, 110, 255])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


out = Path(sys.argv[1] if len(sys.argv) > 1 else "src-tauri/icons")
out.mkdir(parents=True, exist_ok=True)
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("icon.png", 512)]:
    (out / name).write_bytes(png(size))
