"""What the browser tests check of any page's layout at a width (issue 15): no sideways scrolling, each
wide table stacked or in a named, focusable scroll region with a hint, status tags on one line, axe-core;
and how a chart's text is read out of Chromium (its boxes and sizes)."""


# Every table either fits its container, or sits in a focusable region named by its caption.
TABLES_FIT = """() => Array.from(document.querySelectorAll('main table')).filter(t => t.offsetParent !== null).map(t => {
  const region = t.closest('.luton-table-scroll');
  if (region) {
    const caption = document.getElementById(region.getAttribute('aria-labelledby'));
    const hint = region.previousElementSibling;
    return {fits: true, region: region.getAttribute('role') === 'region' && region.tabIndex === 0 && !!caption,
            hint: !!hint && hint.classList.contains('luton-table-scroll__hint') && hint.offsetParent !== null,
            overflows: region.scrollWidth > region.clientWidth};
  }
  return {fits: t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1,
          caption: (t.caption && t.caption.textContent.trim()) || ''};
})"""

# A status tag wraps when its words make more than one line box.
WRAPPED_TAGS = """() => Array.from(document.querySelectorAll('.govuk-tag')).filter(t => t.offsetParent !== null).filter(t => {
  const range = document.createRange(); range.selectNodeContents(t);
  return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1;
}).map(t => t.textContent.trim())"""


def check_layout(browser_page, width: int) -> None:
    page = browser_page.page
    scroll = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll[0] <= scroll[1], f"the page scrolls sideways: {scroll[0]} px wide in {scroll[1]} px"
    for table in page.evaluate(TABLES_FIT):
        assert table["fits"], f"a table wider than its column, not in a scroll region: {table}"
        if "region" in table:
            assert table["region"], f"a scroll region that is not focusable and named: {table}"
            if table["overflows"]:
                assert table["hint"], "a table that scrolls sideways without a visible hint"
    assert page.evaluate(WRAPPED_TAGS) == [], f"status tags on more than one line at {width} px"
    browser_page.assert_accessible()


CHART_TEXT = """(svg) => Array.from(svg.querySelectorAll('text')).map(t => {
  const box = t.getBoundingClientRect();
  const group = t.closest('g[class]');
  return {text: t.textContent, axis: !!group && group.classList.contains('role-axis-label'),
          anchor: t.getAttribute('text-anchor'), rotated: (t.getAttribute('transform') || '').includes('rotate'),
          px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b),
          left: box.left, right: box.right, top: box.top, bottom: box.bottom};
})"""


def overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
