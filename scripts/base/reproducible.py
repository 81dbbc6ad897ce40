"""Files whose bytes depend on the data only: the same package writes the same ZIP and XLSX, whatever
the clock says. The downloads (render/opendata.py) and the input workbook (intake/workbook.py) both
write through here."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def stamp_of(descriptor: dict) -> tuple:
    """The moment written into ZIP and XLSX files: the data's last_updated date, never the clock."""
    day = dt.date.fromisoformat(descriptor["last_updated"])
    return (day.year, day.month, day.day, 0, 0, 0)


def add_to_zip(archive: zipfile.ZipFile, name: str, data: bytes, stamp: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def save_xlsx(book, path, descriptor: dict) -> None:
    """Save an openpyxl workbook to a path or a binary file, the same data giving the same bytes."""
    stamp = stamp_of(descriptor)
    moment = dt.datetime(*stamp)
    book.properties.created = book.properties.modified = moment
    book.properties.creator = descriptor.get("name") or ""
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps each part with the current time: rewrite them with the data's date
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            add_to_zip(target, item.filename, data, stamp)
