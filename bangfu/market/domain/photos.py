"""How large a product photo may be (its type is checked by bangfu.core.files, like every upload).

The size limit is a constant, not an area parameter: it protects the server's disk and the phones that
load the public catalogue, which is the same everywhere. 2 MB holds a sharp phone photo of a product
after the phone's own compression; larger files are usually camera originals that load slowly on 3G.
"""

from __future__ import annotations

MAX_PHOTO_BYTES = 2 * 1024 * 1024
