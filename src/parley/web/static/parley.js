// parley serve: the few behaviours the pages need, from this file only (the Content
// Security Policy allows no inline script). Article text reaches the page escaped by the
// server; nothing here turns text into HTML.
(function () {
  "use strict";

  // The article view: the offsets of a selection in the article's text, for "add a missed
  // event". The text is rendered as it is stored, so counting the characters of the text
  // nodes before the selection gives the stored offsets.
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function watchSelection() {
    var text = document.getElementById("article-text");
    var start = document.getElementById("sel-start");
    if (!text || !start) { return; }
    var end = document.getElementById("sel-end");
    var quote = document.getElementById("sel-quote");
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
      var range = selection.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
      start.value = offsetIn(text, range.startContainer, range.startOffset);
      end.value = offsetIn(text, range.endContainer, range.endOffset);
      quote.value = range.toString();
    });
  }

  // Hovering an event in the list lights its evidence in the text.
  function linkEvents() {
    document.querySelectorAll("li.event[data-event]").forEach(function (item) {
      var key = item.getAttribute("data-event");
      var marks = Array.prototype.filter.call(document.querySelectorAll("mark.evidence"), function (m) {
        return (m.getAttribute("data-events") || "").split(" ").indexOf(key) >= 0;
      });
      item.addEventListener("mouseenter", function () { marks.forEach(function (m) { m.classList.add("hover"); }); });
      item.addEventListener("mouseleave", function () { marks.forEach(function (m) { m.classList.remove("hover"); }); });
    });
    var focus = document.querySelector("mark.evidence.focus");
    if (focus && !location.hash) { focus.scrollIntoView({block: "center"}); }
  }

  // The positions chart: the figure is JSON data in the page, drawn by the plotly shipped
  // with parley.
  function drawChart() {
    var data = document.getElementById("chart-data");
    var target = document.getElementById("positions-chart");
    if (!data || !target || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, {displaylogo: false, responsive: true});
  }

  document.addEventListener("DOMContentLoaded", function () {
    watchSelection();
    linkEvents();
    drawChart();
  });
})();
