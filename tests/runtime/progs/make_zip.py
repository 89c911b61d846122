#!/usr/bin/env python3
"""make_zip.py ARCHIVE NAME FILE: writes a ZIP archive holding FILE as NAME,
stored uncompressed and starting at offset 4096 (padded the way zipalign
pads: an extra field), so that a process can map it from the archive."""

import struct
import sys
import zipfile

ALIGNMENT_EXTRA = 0xD935

archive, name, path = sys.argv[1:4]
info = zipfile.ZipInfo(name)
info.compress_type = zipfile.ZIP_STORED
padding = 4096 - 30 - len(name.encode()) - 4
info.extra = struct.pack("<HH", ALIGNMENT_EXTRA, padding) + bytes(padding)
with open(path, "rb") as f, zipfile.ZipFile(archive, "w") as z:
    z.writestr(info, f.read())
