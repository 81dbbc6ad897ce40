"""scripts/engines/table_boxes.py: each plain table is in the theme's scrolling box in the page as built."""
import markdown

from scripts.engines.table_boxes import CLOSE, OPEN, box_tables


def test_a_plain_table_is_boxed_and_a_table_with_a_class_is_not():
    html = '<p>x</p><table><tr><td>1</td></tr></table><table class="role-matrix"><tr><td>2</td></tr></table>'
    assert box_tables(html) == (f'<p>x</p>{OPEN}<table><tr><td>1</td></tr></table>{CLOSE}'
                                '<table class="role-matrix"><tr><td>2</td></tr></table>')


def test_each_box_closes_after_its_own_table():
    html = '<table class="x"><tr><td>a</td></tr></table><table id="t"><tr><td>b</td></tr></table><table><tr><td>c</td></tr></table>'
    out = box_tables(html)
    assert out.count(OPEN) == out.count(CLOSE) == 2
    assert out.index(OPEN) > out.index("</table>")             # the classed table first, unboxed
    assert out.endswith(f"</table>{CLOSE}")


def test_a_page_without_a_table_is_unchanged():
    assert box_tables("<p>table, tables</p>") == "<p>table, tables</p>"


def test_markdown_tables_and_tables_written_as_html_are_boxed_by_the_extension():
    source = "| a | b |\n|---|---|\n| 1 | 2 |\n\n<table><tr><td>3</td></tr></table>\n"
    html = markdown.markdown(source, extensions=["tables", "scripts.engines.table_boxes"])
    assert html.count(OPEN) == 2 and html.count(CLOSE) == 2
    assert html.index(OPEN) < html.index("<table>") < html.index(CLOSE)
