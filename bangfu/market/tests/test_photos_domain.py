"""Photo type by magic bytes (pure, no database)."""

from hypothesis import given
from hypothesis import strategies as st

from bangfu.market.domain.photos import sniff


def test_known_kinds():
    assert sniff(b"\xff\xd8\xff\xdb" + b"\x00" * 8) == "jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d") == "png"
    assert sniff(b"RIFF\x10\x00\x00\x00WEBP") == "webp"


def test_lookalikes_are_refused():
    assert sniff(b"RIFF\x10\x00\x00\x00WAVE") is None  # a RIFF file that is sound, not an image
    assert sniff(b"GIF89a\x00\x00\x00\x00\x00\x00") is None
    assert sniff(b"<svg xmlns=") is None  # SVG can carry scripts
    assert sniff(b"") is None


@given(st.binary(max_size=12))
def test_anything_else_is_none_or_starts_with_a_signature(head):
    kind = sniff(head)
    assert kind is None or head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n" or head[8:12] == b"WEBP"
