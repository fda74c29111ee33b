/**
 * Runs in the browser when report.html opens: counts, per figure, the data marks (`.mark`) and
 * per-seed points (`.seed`) the browser actually laid out (a box of non-zero size inside the
 * SVG's view box) and records the counts in `data-drawn` and `data-seeds-drawn`; it also records
 * in `body[data-overflow]` how many pixels the page is wider than the window (0 when it fits), and
 * in `body[data-height]` the page's height (so a screenshot can take it whole); each table's
 * scroll box gets `data-scrolls` (whether its table is wider than the box and scrolls in it).
 * `body[data-report-check]` is `ok` only when every figure drew all its marks and seed points and
 * the page fits. A headless browser's dumped DOM therefore shows whether the plots render.
 */
export const PAGE_CHECK_SCRIPT = `
(function () {
  var failed = [];
  function drawn(figure, selector) {
    var count = 0;
    figure.querySelectorAll(selector).forEach(function (mark) {
      var box = mark.getBBox();
      var view = mark.ownerSVGElement.viewBox.baseVal;
      var inside = box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height;
      if (box.width > 0 && box.height > 0 && inside) count++;
    });
    return count;
  }
  document.querySelectorAll('figure[data-chart]').forEach(function (figure) {
    var marks = drawn(figure, '.mark');
    var seeds = drawn(figure, '.seed');
    figure.setAttribute('data-drawn', String(marks));
    figure.setAttribute('data-seeds-drawn', String(seeds));
    if (marks === 0 || marks !== Number(figure.getAttribute('data-marks')) || seeds !== Number(figure.getAttribute('data-seeds'))) failed.push(figure.getAttribute('data-chart'));
  });
  var overflow = Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth);
  document.body.setAttribute('data-overflow', String(overflow));
  document.body.setAttribute('data-height', String(document.documentElement.scrollHeight));
  document.querySelectorAll('.table-scroll').forEach(function (box) {
    box.setAttribute('data-scrolls', String(box.scrollWidth > box.clientWidth));
  });
  if (overflow > 0) failed.push('page wider than the window by ' + overflow + ' px');
  document.body.setAttribute('data-report-check', failed.length ? 'failed: ' + failed.join(', ') : 'ok');
})();
`;
