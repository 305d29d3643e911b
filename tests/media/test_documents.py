from __future__ import annotations

import io
import zipfile

import media_factories as f
import pytest
from media_asserts import expect_rejected

from media import MediaPolicy
from media.documents import ZipLimits


async def test_pdf_pages_recorded(run):
    res = await run(f.pdf(pages=3), "Surat Edaran.pdf")
    assert res.kind == "document" and res.mime == "application/pdf"
    assert res.meta["pages"] == 3 and res.derived == []
    assert res.display_name == "Surat Edaran.pdf"


async def test_encrypted_pdf(run):
    await expect_rejected(run(f.pdf(user_password="rahasia"), "sk.pdf"), "pdf_encrypted")


async def test_permission_only_pdf_accepted_unless_policy_says_no(run):
    data = f.pdf(pages=2, user_password="", owner_password="pemilik")
    res = await run(data)
    assert res.meta["pages"] == 2 and "pdf_permissions_restricted" in res.notes
    strict = MediaPolicy(allow_pdf_owner_password=False)
    await expect_rejected(run(data + b"\n", policy=strict), "pdf_encrypted")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"garbage " * 100,
        f.pdf(pages=0),
        f.pdf(pages=2)[:300],
    ],
    ids=["garbage", "no-pages", "truncated"],
)
async def test_broken_pdf(run, data):
    await expect_rejected(run(data), "pdf_broken")


@pytest.mark.parametrize(
    "kind,mime",
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ],
)
async def test_ooxml_ok(run, kind, mime):
    res = await run(f.ooxml(kind), f"rapat.{kind}")
    assert res.kind == "document" and res.mime == mime and res.ext == f".{kind}"
    assert res.meta["pages"] == 3  # from docProps/app.xml


async def test_odt_and_ods_ok(run):
    res = await run(f.odf(), "notulen.odt")
    assert res.mime == "application/vnd.oasis.opendocument.text"
    res = await run(f.odf("application/vnd.oasis.opendocument.spreadsheet"), "data")
    assert res.ext == ".ods" and res.display_name == "data.ods"


async def test_zip_renamed_docx(run):
    e = await expect_rejected(run(f.plain_zip(), "laporan.docx"), "type_not_allowed")
    assert "ZIP" in e.params["label"]


async def test_malformed_xml(run):
    await expect_rejected(run(f.ooxml("docx", main_xml="<w:document><w:body>")), "office_broken")


async def test_xml_entity_bomb_refused(run):
    lol = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
    e = await expect_rejected(run(f.ooxml("docx", main_xml=lol)), "office_broken")
    assert e.params["reason"] == "xml_dtd"


async def test_zip_bomb_ratio(run):
    bomb = f.ooxml("docx", extra={"word/media/image1.png": b"\x00" * (8 << 20)})
    assert len(bomb) < 100_000
    e = await expect_rejected(run(bomb), "office_broken")
    assert e.params["reason"] == "compression_ratio"


async def test_zip_bomb_total(run):
    docs = f.ooxml("docx", extra={f"word/media/p{i}.bin": b"\x01" * (1 << 20) for i in range(4)})
    policy = MediaPolicy(zip_limits=ZipLimits(max_total_uncompressed=2 << 20, max_ratio=10_000))
    e = await expect_rejected(run(docs, policy=policy), "office_broken")
    assert e.params["reason"] == "too_much_data"


async def test_lying_sizes_in_central_directory(run):
    # declared size says 10 bytes, the data inflates to 2 MB: decompression is counted for real
    data = bytearray(f.ooxml("docx", extra={"word/x.bin": b"\x02" * (2 << 20)}))
    policy = MediaPolicy(zip_limits=ZipLimits(max_total_uncompressed=1 << 20, max_ratio=10_000))
    await expect_rejected(run(bytes(data), policy=policy), "office_broken")


async def test_corrupted_entry_crc(run):
    data = bytearray(f.ooxml("docx"))
    # flip bytes inside the deflated data of word/document.xml
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5] ^= 0xFF
    data[start + 6] ^= 0xFF
    await expect_rejected(run(bytes(data)), "office_broken")


async def test_macro_in_docx_refused(run):
    data = f.ooxml("docx", extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 100})
    await expect_rejected(run(data), "office_macro")


async def test_docm_refused_as_type(run):
    e = await expect_rejected(run(f.ooxml("docm"), "a.docx"), "type_not_allowed")
    assert "makro" in e.params["label"]
