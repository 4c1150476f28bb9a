from __future__ import annotations

import codecs

import pytest

from reportlint.errors import InputError
from reportlint.readers import expand_paths, read_path

TEXT = "今年全市经济运行稳中有进，主要指标好于预期。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gb18030") * 5, "gb18030"),
        (TEXT.encode("gbk") * 5, "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path, data: bytes, encoding: str) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(data)
    doc = read_path(str(f))
    assert doc.encoding == encoding
    assert doc.text.startswith("今年全市经济运行")
    assert doc.bom == data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def test_crlf_file(tmp_path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes("第一段。\r\n第二段。\r\n".encode())
    doc = read_path(str(f))
    assert doc.newline == "\r\n" and doc.text == "第一段。\n第二段。\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest-of-zip", "binary file (a zip archive"),
        (b"\x89PNG\r\n\x1a\n....", "binary file (a PNG image)"),
        (b"abc\x00def\x00\x00\x01\x02\x03", "binary file"),
        ("中文".encode() + b"\xff\xfe\xfa" + "中文".encode(), "not valid UTF-8"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path, data: bytes, message: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_path(str(f))
    assert message in str(e.value)
    assert str(f) in str(e.value)


def test_missing_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_path(str(tmp_path))


def test_size_limit(tmp_path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(TEXT.encode() * 100)
    with pytest.raises(InputError, match="larger than the maximum"):
        read_path(str(f), max_size=1000)


def test_expand_paths_recurses_into_text_files(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "y.txt").write_text(TEXT, encoding="utf-8")
    files, problems = expand_paths([str(tmp_path)])
    assert [f.replace(str(tmp_path), "") for f in files] == ["/b.md", "/a/x.txt"] or sorted(files) == sorted(
        [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b.md")]
    )
    assert problems == []
    empty = tmp_path / "empty"
    empty.mkdir()
    files, problems = expand_paths([str(empty)])
    assert files == [] and "directory holds no" in problems[0].message
