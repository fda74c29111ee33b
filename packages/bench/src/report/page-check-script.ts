/**
 * Runs in the browser when report.html opens: counts, per figure, the data marks the browser
 * actually laid out (a box of non-zero size inside the SVG's view box) and records the count in
 * `data-drawn`; `body[data-report-check]` is `ok` only when every figure drew all its marks.
 * A headless browser's dumped DOM therefore shows whether the plots render.
 */
export const PAGE_CHECK_SCRIPT = `
(function () {
  var failed = [];
  document.querySelectorAll('figure[data-chart]').forEach(function (figure) {
    var drawn = 0;
    figure.querySelectorAll('.mark').forEach(function (mark) {
      var box = mark.getBBox();
      var view = mark.ownerSVGElement.viewBox.baseVal;
      var inside = box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height;
      if (box.width > 0 && box.height > 0 && inside) drawn++;
    });
    figure.setAttribute('data-drawn', String(drawn));
    if (drawn === 0 || drawn !== Number(figure.getAttribute('data-marks'))) failed.push(figure.getAttribute('data-chart'));
  });
  document.body.setAttribute('data-report-check', failed.length ? 'failed: ' + failed.join(', ') : 'ok');
})();
`;
