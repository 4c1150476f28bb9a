"""Errors shown to the user as one line (exit code 2), never as a traceback."""

from __future__ import annotations

import re
from functools import lru_cache


def shown_path(path: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 written as ``\\xff``.

    Python keeps such bytes as lone surrogates; written out they would make the output
    invalid UTF-8 (and invalid JSON, XML). The real name is kept where files are opened.
    """
    if not any("\udc80" <= c <= "\udcff" for c in path):
        return path
    import os

    return os.fsencode(path).decode("utf-8", "backslashreplace")


class UsageError(Exception):
    """Bad command line or configuration."""


class InputError(Exception):
    """A problem with one input: shown as ``path: message``."""

    def __init__(self, path: str, message: str, *, warning: bool = False) -> None:
        path = shown_path(path)
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.warning = warning  # True: skip the file with a warning, not an error

    def text(self, lang: str) -> str:
        """The message in the language of the messages (see ``localize``)."""
        return localize(self.message, lang)


# What the input errors and warnings say, in Chinese (the default language of the messages).
# The English message is the key: technical details in parentheses (an OS error, a byte, a
# size) are carried over as they are.
_ZH: tuple[tuple[str, str], ...] = (
    (r"no such file or directory", "文件或目录不存在"),
    (r"permission denied", "没有读取权限"),
    (r"is a directory", "是目录，不是文件"),
    (r"broken symbolic link", "符号链接指向的文件不存在"),
    (r"not a regular file \(device, FIFO or socket\); skipped", "不是普通文件（设备、管道或套接字），已跳过"),
    (r"directory holds no \.txt, \.md, \.docx or \.pdf files", "目录中没有 .txt、.md、.docx 或 .pdf 文件"),
    (r"binary file \(contains NUL bytes\), not text", "二进制文件（含 NUL 字节），不是文本"),
    (
        r"binary file \(a zip archive \(a \.docx, \.xlsx or \.zip file\?\)\), not text",
        "二进制文件（zip 压缩包，可能是 .docx、.xlsx 或 .zip 文件），不是文本",
    ),
    (r"binary file \(a PDF file\), not text", "二进制文件（PDF 文件），不是文本"),
    (r"binary file \(a PNG image\), not text", "二进制文件（PNG 图片），不是文本"),
    (r"binary file \(a JPEG image\), not text", "二进制文件（JPEG 图片），不是文本"),
    (r"binary file \(a GIF image\), not text", "二进制文件（GIF 图片），不是文本"),
    (r"binary file \(an executable\), not text", "二进制文件（可执行程序），不是文本"),
    (
        r"binary file \(an old Word/Excel file \(\.doc/\.xls\)\), not text",
        "二进制文件（旧版 Word/Excel 文件（.doc/.xls）），不是文本",
    ),
    (r"binary file \(a gzip archive\), not text", "二进制文件（gzip 压缩包），不是文本"),
    (r"binary file \(a RAR archive\), not text", "二进制文件（RAR 压缩包），不是文本"),
    (r"binary file \(a 7-Zip archive\), not text", "二进制文件（7-Zip 压缩包），不是文本"),
    (r"binary file \((.+)\), not text", r"二进制文件（\1），不是文本"),
    (r"empty file, nothing to check", "空文件，没有可检查的内容"),
    (r"only whitespace, nothing to check", "只有空白，没有可检查的内容"),
    (
        r"not valid UTF-8 \(byte (0x[0-9a-f]+) at offset (\d+)\); no other encoding fits",
        r"不是有效的 UTF-8 文本（偏移 \2 处的字节 \1），也不符合其他编码",
    ),
    (
        r"not valid UTF-8 \(byte (0x[0-9a-f]+) at offset (\d+)\)",
        r"不是有效的 UTF-8 文本（偏移 \2 处的字节 \1）",
    ),
    (r"invalid (\S+) text after its byte-order mark", r"字节顺序标记之后不是有效的 \1 文本"),
    (
        r"file is (.+), larger than the maximum of (.+) \(raise it with --max-file-size\)",
        r"文件大小 \1，超过上限 \2（可用 --max-file-size 调高）",
    ),
    (r"input larger than the maximum of (.+)", r"输入超过上限 \1"),
    (r"standard input is closed", "标准输入已关闭"),
    (r"cannot read \((.+)\)", r"无法读取（\1）"),
    (r"file changed on disk since it was read; not fixed", "读取之后文件已被改动，未修复"),
    (r"file changed on disk since it was read; not annotated", "读取之后文件已被改动，未写批注"),
    (r"file is read-only; not fixed", "文件只读，未修复"),
    (r"cannot re-read before writing \((.+)\)", r"写入前无法重新读取（\1）"),
    (r"cannot write the fixed file \((.+)\); not changed", r"无法写入修复后的文件（\1），原文件未改动"),
    (
        r"fixed text cannot be written back as (\S+); not changed",
        r"修复后的文本无法以 \1 编码写回，原文件未改动",
    ),
    (
        r"not a \.docx file \(not a zip archive; an old \.doc file\?\)",
        "不是 .docx 文件（不是 zip 格式，可能是旧的 .doc 文件）",
    ),
    (r"not a valid \.docx file \((.+)\)", r"不是有效的 .docx 文件（\1）"),
    (r"cannot read the Word file \((.+)\)", r"无法读取 Word 文件（\1）"),
    (
        r"the Word file does not match what was checked; not annotated",
        "Word 文件与检查时的内容不一致，未写批注",
    ),
    (r"not a PDF file \(it does not start with %PDF\)", "不是 PDF 文件（不以 %PDF 开头）"),
    (r"the PDF is encrypted; remove the password first", "PDF 已加密，请先去除密码"),
    (
        r"the PDF has no text layer \(a scanned image\?\); run OCR on it first",
        "PDF 没有文字层（可能是扫描图像），请先做文字识别（OCR）",
    ),
    (r"cannot read the PDF \((.+)\)", r"无法读取 PDF（\1）"),
    (r"reading \.docx files needs python-docx: (.+)", r"读取 .docx 文件需要 python-docx：\1"),
    (r"reading PDF files needs pdfminer\.six: (.+)", r"读取 PDF 文件需要 pdfminer.six：\1"),
)


@lru_cache(maxsize=1)
def _zh_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The table compiled on first use: the module is imported on every start, a message
    shown rarely."""
    return tuple((re.compile(f"(?:^|(?<=: ))(?:{en})$"), zh) for en, zh in _ZH)


def localize(message: str, lang: str) -> str:
    """An input error or warning (``path: message`` or the message alone) in the language of
    the messages: Chinese unless ``lang`` is ``en``; a message without a translation as it is."""
    if lang == "en":
        return message
    for rx, zh in _zh_patterns():
        m = rx.search(message)
        if m:
            return message[: m.start()] + m.expand(zh)
    return message
