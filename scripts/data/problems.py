"""The catalogue of data problems: one code per kind of mistake, with what to say and what to do.

Every problem a person editing `data/` can cause is listed here, in Vietnamese and English.
The validator only creates `Problem`s; the command line decides how to show them.
"""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

FIX_COMMAND = "python -m scripts validate --fix"

# code: (message_vi, message_en, fix_vi, fix_en). Placeholders come from Problem.details
# (and {field}); a placeholder a problem does not fill is left empty.
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    # --- the files themselves -------------------------------------------------------------------
    "missing-file": (
        "Không tìm thấy tệp.",
        "The file is missing.",
        "Khôi phục tệp, hoặc sửa đường dẫn `path` của bảng này trong {package}datapackage.json.",
        "Restore the file, or correct the table's `path` in {package}datapackage.json.",
    ),
    "unreadable-file": (
        "Không đọc được tệp ({detail}).",
        "The file cannot be read ({detail}).",
        "Kiểm tra đây là một tệp (không phải thư mục) và tài khoản đang dùng có quyền đọc nó.",
        "Check that it is a file (not a folder) and that your account may read it.",
    ),
    "not-utf8": (
        "Tệp không được lưu ở bảng mã UTF-8 (có vẻ là {encoding_vi}){note_vi}.",
        "The file is not saved as UTF-8 (it looks like {encoding_en}){note_en}.",
        "Mở tệp trong Excel, chọn File > Save As (Lưu thành), loại tệp \"CSV UTF-8 (Comma delimited) (*.csv)\"; "
        "hoặc mở bằng Notepad, chọn Save As và chọn Encoding: UTF-8.{hint_vi}",
        "Open the file in Excel, choose File > Save As, type \"CSV UTF-8 (Comma delimited) (*.csv)\"; "
        "or open it in Notepad, choose Save As and Encoding: UTF-8.{hint_en}",
    ),
    "empty-file": (
        "Tệp rỗng: không có dòng tiêu đề.",
        "The file is empty: it has no header row.",
        "Khôi phục dòng tiêu đề (tên các cột) và dữ liệu, ví dụ từ bản trước trên GitHub.",
        "Restore the header row (the column names) and the data, e.g. from the previous version on GitHub.",
    ),
    "wrong-delimiter": (
        "Các cột được ngăn cách bằng {delimiter_vi}, không phải dấu phẩy.",
        "The columns are separated by {delimiter_en}, not by commas.",
        "Excel cài đặt kiểu Việt Nam lưu CSV bằng dấu chấm phẩy. Mở tệp bằng trình soạn thảo và thay "
        "{delimiter_vi} bằng dấu phẩy, hoặc đặt List separator là dấu phẩy (Control Panel > Region > "
        "Additional settings) rồi lưu lại từ Excel.",
        "Excel set up for Vietnamese saves CSV with semicolons. Replace {delimiter_en} with commas in a text "
        "editor, or set the List separator to a comma (Control Panel > Region > Additional settings) and "
        "save again from Excel.",
    ),
    # --- data/datapackage.json ----------------------------------------------------------------------
    "package-syntax": (
        "{package}datapackage.json không phải JSON hợp lệ ở dòng {line}, cột {column} ({detail}).",
        "{package}datapackage.json is not valid JSON at line {line}, column {column} ({detail}).",
        "Sửa lỗi cú pháp ở dòng đã nêu hoặc ngay trước đó: thường là thiếu hay thừa dấu phẩy, ngoặc hoặc dấu nháy kép.",
        "Fix the syntax at that line or just before it: usually a missing or extra comma, bracket or double quote.",
    ),
    "package-bom": (
        "{package}datapackage.json bắt đầu bằng dấu BOM (byte-order mark); JSON không cho phép dấu này.",
        "{package}datapackage.json starts with a byte-order mark (BOM), which JSON does not allow.",
        f"Chạy `{FIX_COMMAND}` để bỏ dấu BOM, hoặc lưu lại tệp ở dạng \"UTF-8\" (không phải \"UTF-8 with BOM\").",
        f"Run `{FIX_COMMAND}` to remove it, or save the file as \"UTF-8\" (not \"UTF-8 with BOM\").",
    ),
    "package-shape": (
        "Mục {where}{table_vi} trong {package}datapackage.json thiếu hoặc sai kiểu: cần {expected_vi}.",
        "Entry {where}{table_en} in {package}datapackage.json is missing or of the wrong kind: it must be {expected_en}.",
        "Sửa mục này theo mẫu của các bảng khác: mỗi bảng cần \"name\", \"path\" và \"schema\" có danh sách \"fields\".",
        "Correct it after the other tables: each needs \"name\", \"path\" and a \"schema\" with a list of \"fields\".",
    ),
    "site-setting": (
        "Thiết lập \"site.{field}\" trong datapackage.json thiếu hoặc sai: cần {expected_vi}.",
        "Setting \"site.{field}\" in datapackage.json is missing or wrong: it must be {expected_en}.",
        "Thêm mục \"site\" vào datapackage.json theo mẫu của data/datapackage.json: tên và mô tả của trang bằng hai "
        "thứ tiếng (name_vi, name_en, description_vi, description_en) và màu (colors: primary, primary_light, "
        "primary_dark, accent, dạng #rrggbb; màu primary đủ đậm để chữ trắng đọc rõ).",
        "Add a \"site\" entry to datapackage.json after the one in data/datapackage.json: the site's name and "
        "description in both languages (name_vi, name_en, description_vi, description_en) and its colours (colors: "
        "primary, primary_light, primary_dark, accent, as #rrggbb; the primary dark enough for white text).",
    ),
    "last-updated": (
        "\"last_updated\" trong datapackage.json (\"{cell}\") không phải một ngày.",
        "\"last_updated\" in datapackage.json (\"{cell}\") is not a date.",
        "Ghi ngày dữ liệu được rà soát lần cuối, dạng NĂM-THÁNG-NGÀY, ví dụ \"last_updated\": \"2026-12-01\".",
        "Give the day the data was last reviewed, as YEAR-MONTH-DAY, e.g. \"last_updated\": \"2026-12-01\".",
    ),
    "plan-one-row": (
        "Bảng plan cần đúng một dòng (Kế hoạch mà trang theo dõi); hiện có {count} dòng.",
        "The plan table needs exactly one row (the plan the site tracks); it has {count}.",
        "Điền một dòng cho Kế hoạch: số hiệu, ngày ban hành, cơ quan ban hành (mã trong bảng agencies), tên, tỉnh, "
        "giai đoạn và nguồn (mã trong bảng sources); một kế hoạch khác cần một thư mục dữ liệu riêng (python -m scripts new-plan).",
        "Fill in one row for the plan: its number, date, issuing body (an id of the agencies table), title, province, period "
        "and source (an id of the sources table); another plan needs a data folder of its own (python -m scripts new-plan).",
    ),
    "national-package": (
        "Bảng mục tiêu quốc gia dùng chung ({file}) có lỗi: {detail}",
        "The shared table of national targets ({file}) has a problem: {detail}",
        "Sửa tệp đó trong thư mục national/ (mọi kế hoạch dùng chung), rồi chạy lại `python -m scripts validate`.",
        "Correct that file in the national/ folder (shared by every plan), then run `python -m scripts validate` again.",
    ),
    "package-invalid": (
        "Mô tả gói dữ liệu không hợp lệ: {detail}.",
        "The package descriptor is invalid: {detail}.",
        "Sửa {package}datapackage.json theo chuẩn Data Package (datapackage.org).",
        "Correct {package}datapackage.json against the Data Package standard (datapackage.org).",
    ),
    "front-matter-syntax": (
        "Phần thông tin đầu trang (YAML giữa hai dòng ---) có lỗi cú pháp: {detail}.",
        "The front matter (the YAML between the two --- lines) has a syntax error: {detail}.",
        "Sửa dòng đã nêu: thường là thiếu dấu hai chấm sau tên mục, dấu nháy chưa đóng, hoặc thụt lề không đều.",
        "Fix that line: usually a missing colon after a name, an unclosed quote or uneven indentation.",
    ),
    # --- the header row -------------------------------------------------------------------------
    "missing-column": (
        "Thiếu cột \"{field}\".",
        "Column \"{field}\" is missing.",
        "Thêm lại cột \"{field}\" vào dòng tiêu đề, đúng thứ tự như trong {package}datapackage.json.",
        "Add column \"{field}\" back to the header row, in the order {package}datapackage.json gives.",
    ),
    "unknown-column": (
        "Cột \"{field}\" không có trong lược đồ.",
        "Column \"{field}\" is not in the schema.",
        "Xóa cột này, hoặc khai báo nó trong {package}datapackage.json.",
        "Remove the column, or declare it in {package}datapackage.json.",
    ),
    "wrong-header": (
        "Tên cột \"{cell}\" không khớp lược đồ (cần \"{field}\").",
        "Column name \"{cell}\" does not match the schema (expected \"{field}\").",
        "Sửa dòng tiêu đề cho khớp với {package}datapackage.json.",
        "Correct the header row to match {package}datapackage.json.",
    ),
    # --- rows -----------------------------------------------------------------------------------
    "ragged-row": (
        "Dòng này có {cells} ô, trong khi dòng tiêu đề có {columns} cột.",
        "This row has {cells} cells; the header has {columns} columns.",
        "Tìm dấu phẩy thừa hoặc thiếu; ô nào có dấu phẩy thì phải đặt trong dấu nháy kép (\"...\").",
        "Look for an extra or a missing comma; a cell that contains a comma must be in double quotes (\"...\").",
    ),
    "blank-row": (
        "Dòng trống.",
        "The row is blank.",
        "Xóa dòng trống.",
        "Delete the blank row.",
    ),
    # --- cells ----------------------------------------------------------------------------------
    "wrong-type": (
        "Giá trị \"{cell}\" không phải {type_vi}.",
        "Value \"{cell}\" is not {type_en}.",
        "Nhập {type_vi}{hint_vi}.",
        "Enter {type_en}{hint_en}.",
    ),
    "required": (
        "Thiếu giá trị bắt buộc.",
        "A required value is missing.",
        "Điền giá trị cho cột \"{field}\".",
        "Fill in column \"{field}\".",
    ),
    "not-allowed": (
        "Giá trị \"{cell}\" không thuộc danh sách cho phép.",
        "Value \"{cell}\" is not one of the allowed values.",
        "Chọn một trong: {allowed}.",
        "Use one of: {allowed}.",
    ),
    "out-of-range": (
        "Giá trị \"{cell}\" nằm ngoài khoảng cho phép ({limit}).",
        "Value \"{cell}\" is outside the allowed range ({limit}).",
        "{advice_vi}",
        "{advice_en}",
    ),
    "bad-identifier": (
        "Mã \"{cell}\" không đúng dạng.",
        "Identifier \"{cell}\" is not well formed.",
        "Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ so-khcn.",
        "Use only lowercase ASCII letters, digits and hyphens, e.g. so-khcn.",
    ),
    "bad-format": (
        "Giá trị \"{cell}\" không đúng định dạng ({detail}).",
        "Value \"{cell}\" is not in the right format ({detail}).",
        "Sửa giá trị theo định dạng đã nêu.",
        "Correct the value to the format given.",
    ),
    "duplicate-key": (
        "Mã \"{cell}\" bị trùng với một dòng khác.",
        "Key \"{cell}\" repeats another row's.",
        "Mỗi dòng cần một mã riêng; đổi mã hoặc xóa dòng trùng.",
        "Each row needs its own key; change it or delete the repeated row.",
    ),
    "broken-link": (
        "\"{cell}\" không có trong bảng {target}.",
        "\"{cell}\" is not in table {target}.",
        "Dùng một mã có trong {target}, hoặc thêm dòng đó vào {target} trước.",
        "Use a key that exists in {target}, or add that row to {target} first.",
    ),
    "not-nfc": (
        "Chữ tiếng Việt chưa được chuẩn hóa NFC (dấu tách rời chữ cái).",
        "Vietnamese text is not NFC-normalised (accents stored apart from their letters).",
        f"Chạy `{FIX_COMMAND}` để chuẩn hóa, hoặc gõ lại ô này bằng bảng mã Unicode dựng sẵn.",
        f"Run `{FIX_COMMAND}` to normalise it, or retype the cell with a precomposed Unicode keyboard.",
    ),
    "surrounding-space": (
        "Giá trị \"{cell}\" có khoảng trắng ở đầu hoặc cuối.",
        "Value \"{cell}\" has a space at its start or end.",
        f"Xóa khoảng trắng thừa (hoặc chạy `{FIX_COMMAND}`).",
        f"Remove the extra space (or run `{FIX_COMMAND}`).",
    ),
    "control-character": (
        "Ô có ký tự điều khiển không nhìn thấy được ({detail}).",
        "The cell holds an invisible control character ({detail}).",
        "Gõ lại ô này; ký tự lạ thường lẫn vào khi sao chép từ tệp PDF hay Word.",
        "Retype the cell; such characters usually come in when copying from a PDF or Word file.",
    ),
    "unsafe-url": (
        "Địa chỉ \"{cell}\" không dùng được làm liên kết.",
        "Address \"{cell}\" cannot be used as a link.",
        "Dùng địa chỉ web đầy đủ bắt đầu bằng https:// (hoặc http://){path_vi}; "
        "không dùng javascript:, data:, dấu cách hay dấu nháy.",
        "Use a full web address starting with https:// (or http://){path_en}; "
        "no javascript:, data:, spaces or quotes.",
    ),
    "file-outside-data": (
        "Đường dẫn \"{cell}\" không nằm trong thư mục {package} ({reason_vi}).",
        "Path \"{cell}\" is not inside the {package} folder ({reason_en}).",
        "Đặt tệp vào trong thư mục {package} và ghi đường dẫn tính từ {package}, ví dụ anh/mo-hinh-1.jpg.",
        "Put the file inside {package} and give its path from there, e.g. anh/mo-hinh-1.jpg.",
    ),
    "missing-referenced-file": (
        "Không tìm thấy tệp \"{cell}\" trong thư mục {package}.",
        "File \"{cell}\" is not in the {package} folder.",
        "Chép tệp vào {package} đúng tên đó, hoặc sửa đường dẫn (chữ hoa và chữ thường là khác nhau).",
        "Copy the file into {package} under that name, or correct the path (upper and lower case differ).",
    ),
    # --- case studies (scripts/data/casestudies.py) ---------------------------------------------------
    "raw-html": (
        "Câu chuyện có mã HTML \"{cell}\"; ở đây chỉ dùng Markdown.",
        "The story contains HTML \"{cell}\"; only Markdown is used here.",
        "Viết lại bằng Markdown: **chữ đậm**, *chữ nghiêng*, [chữ liên kết](https://...), dòng bắt đầu bằng - cho danh sách.",
        "Write it in Markdown instead: **bold**, *italic*, [link text](https://...), lines starting with - for a list.",
    ),
    "unlisted-case-study": (
        "Câu chuyện \"{cell}\" chưa có dòng trong {package}model_sites.csv.",
        "Case study \"{cell}\" has no row in {package}model_sites.csv.",
        "Thêm một dòng cho mô hình này vào {package}model_sites.csv, với cột path trỏ tới tệp này; hoặc xóa tệp.",
        "Add a row for this model site to {package}model_sites.csv, its path pointing at this file; or delete the file.",
    ),
    "invalid-field": (
        "Giá trị \"{cell}\" không hợp lệ: {detail}.",
        "Value \"{cell}\" is invalid: {detail}.",
        "Sửa giá trị theo điều đã nêu.",
        "Correct the value as described.",
    ),
    # --- an input workbook (scripts/intake/workbook_import.py) ----------------------------------------------------
    "not-a-workbook": (
        "Tệp không phải sổ tính Excel .xlsx ({detail_vi}).",
        "The file is not an Excel .xlsx workbook ({detail_en}).",
        "Mở tệp bằng Excel (hoặc WPS, LibreOffice), chọn File > Save As (Lưu thành), loại tệp \"Excel Workbook (*.xlsx)\", "
        "rồi gửi lại; hoặc tải lại sổ nhập liệu du-lieu/nhap-lieu.xlsx từ trang web.",
        "Open it in Excel (or WPS, LibreOffice), choose File > Save As, type \"Excel Workbook (*.xlsx)\", and send that; "
        "or download the input workbook du-lieu/nhap-lieu.xlsx from the site again.",
    ),
    "workbook-encrypted": (
        "Sổ tính được bảo vệ bằng mật khẩu nên không đọc được.",
        "The workbook is protected with a password, so it cannot be read.",
        "Mở tệp bằng Excel, chọn File > Info > Protect Workbook > Encrypt with Password (Mã hóa bằng mật khẩu), xóa mật khẩu, lưu lại rồi gửi.",
        "Open it in Excel, choose File > Info > Protect Workbook > Encrypt with Password, clear the password, save and send it again.",
    ),
    "workbook-macros": (
        "Sổ tính có macro (tệp .xlsm); vì an toàn, tệp có macro không được nhận.",
        "The workbook is macro-enabled (.xlsm); for safety, files with macros are not accepted.",
        "Trong Excel chọn File > Save As (Lưu thành), loại tệp \"Excel Workbook (*.xlsx)\" (macro sẽ bị bỏ), rồi gửi tệp .xlsx đó.",
        "In Excel choose File > Save As, type \"Excel Workbook (*.xlsx)\" (the macros are dropped), and send that .xlsx file.",
    ),
    "missing-sheet": (
        "Thiếu trang tính \"{sheet}\" ({title_vi}).",
        "Sheet \"{sheet}\" ({title_en}) is missing.",
        "Khôi phục trang tính này với đúng tên \"{sheet}\", ví dụ chép lại từ sổ nhập liệu vừa tải. Thiếu trang tính không có nghĩa là xóa dữ liệu: "
        "muốn xóa các dòng, hãy xóa dòng trong trang tính.",
        "Restore the sheet under its exact name \"{sheet}\", e.g. by copying it from a freshly downloaded input workbook. A missing sheet "
        "never means \"delete the data\": to remove rows, delete them in the sheet.",
    ),
    "renamed-sheet": (
        "Trang tính \"{cell}\" có các cột của bảng {sheet} nhưng đã bị đổi tên.",
        "Sheet \"{cell}\" has the columns of table {sheet} but has been renamed.",
        "Đổi tên trang tính lại thành \"{sheet}\" (nhấp đúp vào tên trang tính ở phía dưới).",
        "Rename the sheet back to \"{sheet}\" (double-click its tab at the bottom).",
    ),
    "sheet-missing-column": (
        "Trang tính thiếu cột \"{header}\" (trường {field}).",
        "The sheet lacks column \"{header}\" (field {field}).",
        "Khôi phục cột này, ví dụ chép lại từ sổ nhập liệu vừa tải; dòng 1 (dòng ẩn) của mỗi cột giữ tên trường để chương trình nhận ra cột.",
        "Restore the column, e.g. by copying it from a freshly downloaded input workbook; row 1 (hidden) of each column holds the field name "
        "by which the column is recognised.",
    ),
    "formula-without-value": (
        "Ô có công thức {cell} nhưng không có giá trị đã tính sẵn.",
        "The cell holds formula {cell} but no calculated value.",
        "Mở tệp bằng Excel và lưu lại (Excel sẽ tính và lưu kết quả), hoặc gõ thẳng giá trị thay cho công thức.",
        "Open the file in Excel and save it again (Excel calculates and stores the result), or type the value instead of the formula.",
    ),
    "bad-date": (
        "Không đọc được \"{cell}\" là một ngày.",
        "\"{cell}\" cannot be read as a date.",
        "Nhập ngày dạng ngày/tháng/năm, ví dụ 30/11/2025.",
        "Enter the date as day/month/year, e.g. 30/11/2025.",
    ),
    "ambiguous-number": (
        "Không rõ \"{cell}\" là {first} hay {second}.",
        "It is unclear whether \"{cell}\" means {first} or {second}.",
        "Gõ lại số không có dấu ngăn cách hàng nghìn, dùng dấu phẩy cho phần thập phân, ví dụ 1234 hoặc 1,234.",
        "Retype the number without a thousands separator, using a comma for the decimal part, e.g. 1234 or 1,234.",
    ),
    "row-removed": (
        "Dòng {cell} có trong dữ liệu hiện tại nhưng không còn trong trang tính.",
        "Row {cell} is in the current data but no longer in the sheet.",
        "Nếu muốn xóa dòng này, chạy lại lệnh nhập với --allow-removals (người duyệt sẽ thấy dòng bị xóa); "
        "nếu không, chép lại dòng này vào trang tính từ sổ nhập liệu vừa tải.",
        "If it is meant to go, run the import again with --allow-removals (the reviewer will see the removal); "
        "if not, copy the row back into the sheet from a freshly downloaded input workbook.",
    ),
    # --- rules across tables ----------------------------------------------------------------------
    "task-without-lead": (
        "Nhiệm vụ \"{cell}\" chưa có cơ quan chủ trì.",
        "Task \"{cell}\" has no lead agency.",
        "Thêm ít nhất một dòng role=lead cho nhiệm vụ này vào {package}task_agencies.csv.",
        "Add at least one row with role=lead for this task to {package}task_agencies.csv.",
    ),
    "succession-loop": (
        "Chuỗi cơ quan kế thừa của \"{cell}\" quay vòng.",
        "The succession of \"{cell}\" goes round in a loop.",
        "Sửa cột succeeded_by để chuỗi kế thừa dừng ở một cơ quan hiện hành.",
        "Correct succeeded_by so that the chain ends at a current body.",
    ),
    "succession-unsourced": (
        "Thông tin kế thừa của \"{cell}\" chưa có nguồn.",
        "The succession of \"{cell}\" has no source.",
        "Điền succession_source_id bằng mã một nguồn trong {package}sources.csv.",
        "Fill succession_source_id with a source from {package}sources.csv.",
    ),
    "target-incomplete": (
        "Chỉ tiêu \"{cell}\" loại {kind} thiếu {missing}.",
        "Target \"{cell}\" of kind {kind} lacks {missing}.",
        "Điền {missing} cho chỉ tiêu này, hoặc đổi loại chỉ tiêu.",
        "Fill in {missing} for this target, or change its kind.",
    ),
    # --- an issue form (scripts/intake/submissions.py); the place shown is the form's question ---------
    "form-section-missing": (
        "Không tìm thấy mục \"{label_vi}\" trong nội dung vấn đề.",
        "The issue's text has no \"{label_en}\" section (\"{label_vi}\").",
        "Gửi lại bằng mẫu \"{form_vi}\"; khi sửa nội dung, giữ nguyên các dòng tiêu đề bắt đầu bằng ###.",
        "Submit it again with the form \"{form_vi}\"; when editing the text, keep the heading lines that start with ###.",
    ),
    "form-answer-missing": (
        "Chưa trả lời mục này{why_vi}.",
        "This question has no answer{why_en}.",
        "Sửa vấn đề (bấm … > Edit ở đầu vấn đề) và điền mục này.",
        "Edit the issue (… > Edit at its top) and answer this question.",
    ),
    "form-not-a-number": (
        "\"{cell}\" không phải một số.",
        "\"{cell}\" is not a number.",
        "Chỉ ghi số, không kèm đơn vị hay chữ. Dấu phẩy là dấu thập phân (1,5); dấu chấm ngăn cách hàng nghìn (1.250).",
        "Write the number only, without units or words. A comma is the decimal mark (1,5) and a dot separates thousands (1.250).",
    ),
    "form-not-a-year": (
        "\"{cell}\" không phải một năm.",
        "\"{cell}\" is not a year.",
        "Ghi năm bằng bốn chữ số, ví dụ 2025.",
        "Write the year in four digits, e.g. 2025.",
    ),
    "form-year-outside-plan": (
        "Năm {cell} nằm ngoài thời kỳ của Kế hoạch ({low}–{high}).",
        "Year {cell} is outside the plan's period ({low}–{high}).",
        "Kiểm tra lại năm. Số liệu các năm trước {low} (để so sánh với giai đoạn trước) không gửi qua mẫu này; "
        "xin ghi vào phần bình luận để người duyệt xem xét.",
        "Check the year. Figures for years before {low} (for comparison with the earlier period) do not go through "
        "this form; say so in a comment and the reviewer will look at it.",
    ),
    "form-year-future": (
        "Năm {cell} chưa tới vào ngày gửi ({date}).",
        "Year {cell} had not begun on the day this was sent ({date}).",
        "Kiểm tra lại năm: số liệu đã công bố không thể thuộc một năm chưa tới.",
        "Check the year: a published figure cannot be for a year still to come.",
    ),
    "form-bad-date": (
        "\"{cell}\" không phải một ngày hợp lệ.",
        "\"{cell}\" is not a valid date.",
        "Ghi ngày/tháng/năm, ví dụ 15/01/2026.",
        "Write day/month/year, e.g. 15/01/2026.",
    ),
    "form-date-future": (
        "Ngày {cell} sau ngày gửi ({date}).",
        "Date {cell} is after the day this was sent ({date}).",
        "Ghi ngày văn bản đã được công bố; văn bản chưa công bố thì chưa gửi được.",
        "Give the date the document was published; a document not yet published cannot be sent.",
    ),
    "form-unknown-choice": (
        "\"{cell}\" không có trong danh sách {what_vi} của trang.",
        "\"{cell}\" is not in the site's list of {what_en}s.",
        "Sửa vấn đề và chọn lại từ danh sách của mẫu; nếu {what_vi} cần gửi không có trong danh sách, xin ghi vào phần bình luận.",
        "Edit the issue and choose again from the form's list; if the {what_en} you need is not in it, say so in a comment.",
    ),
    "form-duplicate": (
        "Trang đã có dữ liệu cho {cell} ({value}; nguồn {source}).",
        "The site already has data for {cell} ({value}; source {source}).",
        "Mẫu này chỉ thêm dữ liệu mới. Nếu số liệu đã công bố khác, xin ghi vào phần bình luận số liệu đúng và văn bản "
        "công bố nó; người duyệt sẽ sửa.",
        "This form only adds new data. If the published figure differs, say in a comment what it is and which document "
        "published it; the reviewer will correct it.",
    ),
    "form-nothing-new": (
        "Mẫu đã gửi không thêm gì mới vào dữ liệu.",
        "The submitted form adds nothing new to the data.",
        "Kiểm tra lại các mục đã điền; nếu cần sửa dữ liệu đã có, xin ghi vào phần bình luận.",
        "Check the answers; if data already on the site needs correcting, say so in a comment.",
    ),
    "invalid-cell": (
        "Giá trị \"{cell}\" không hợp lệ: {detail}.",
        "Value \"{cell}\" is invalid: {detail}.",
        "Sửa giá trị theo lược đồ trong {package}datapackage.json.",
        "Correct the value against the schema in {package}datapackage.json.",
    ),
}

TYPE_NAMES = {
    # type: (vi, en, hint_vi, hint_en)
    "integer": ("số nguyên", "a whole number", ", ví dụ 2025", ", e.g. 2025"),
    "number": ("số", "a number", " với dấu chấm thập phân, ví dụ 12.5", " with a decimal point, e.g. 12.5"),
    "date": ("ngày hợp lệ", "a valid date", " dạng NĂM-THÁNG-NGÀY, ví dụ 2025-11-30", " as YEAR-MONTH-DAY, e.g. 2025-11-30"),
    "boolean": ("giá trị đúng/sai", "a true/false value", ": true hoặc false, viết thường (lệnh `python -m scripts validate --fix` tự sửa TRUE/FALSE của Excel)",
                ": true or false, in lower case (`python -m scripts validate --fix` corrects Excel's TRUE/FALSE)"),
    "year": ("năm", "a year", ", ví dụ 2025", ", e.g. 2025"),
}

# Longest value quoted back to a person; the rest is cut (a cell can be a whole paragraph).
SHOWN_LENGTH = 80


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data, located as precisely as we can."""

    code: str
    file: str                       # path relative to the project root
    row: int | None = None          # line in the file as a text editor shows it (header = 1)
    field: str | None = None
    details: tuple[tuple[str, str], ...] = ()

    def _fill(self, index: int) -> str:
        # {package}: the folder of the package the problem is in, "data/" unless told (see in_package)
        values = {"field": self.field or "", "package": "data/", **dict(self.details)}
        return CATALOGUE[self.code][index].format_map(_Blank(values))

    def message(self, lang: str) -> str:
        return self._fill(0 if lang == "vi" else 1)

    def fix(self, lang: str) -> str:
        return self._fill(2 if lang == "vi" else 3)

    def in_package(self, folder: str) -> "Problem":
        """The same problem, its messages naming `folder` (another plan's package) where they say data/."""
        details = dict(self.details)
        details.setdefault("package", folder)
        return Problem(self.code, self.file, self.row, self.field, tuple(sorted(details.items())))

    def told_of(self, scratch: str, folder: str) -> "Problem":
        """The same problem, its messages naming `folder` where they name `scratch`, a copy it was found in."""
        return Problem(self.code, self.file, self.row, self.field,
                       tuple((k, v.replace(scratch, folder)) for k, v in self.details))

    def as_dict(self) -> dict:
        out = asdict(self)
        out["details"] = dict(self.details)
        for lang in ("vi", "en"):
            out[f"message_{lang}"] = self.message(lang)
            out[f"fix_{lang}"] = self.fix(lang)
        return out


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def problem(code: str, file: str, row: int | None = None, field: str | None = None, **details) -> Problem:
    if code not in CATALOGUE:
        raise KeyError(f"Unknown problem code {code!r}: add it to CATALOGUE in scripts/data/problems.py")
    return Problem(code, file, row, field, tuple(sorted((k, _visible(str(v), cut=k == "cell")) for k, v in details.items())))


def _visible(value: str, cut: bool) -> str:
    """A value quoted back to a person: control characters written as U+XXXX (a terminal would
    obey them); a cell from the data cut short (it can be a whole paragraph)."""
    out = "".join(f"U+{ord(c):04X}" if unicodedata.category(c) == "Cc" else c for c in value)
    return out[: SHOWN_LENGTH - 1] + "…" if cut and len(out) > SHOWN_LENGTH else out
