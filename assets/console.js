/*
 * The console: progressive enhancement only; every page works without this script.
 * Progress: an element with data-progress-url="<json address>" is refreshed from that
 * address every second while the run it shows is going (the page without script
 * refreshes itself instead). The JSON is { done, total, state, text }.
 */
/* global document, window, fetch */
(function () {
  'use strict';

  var EVERY_MS = 1000;

  function follow(element) {
    var url = element.getAttribute('data-progress-url');
    var bar = element.querySelector('progress');
    var label = element.querySelector('[data-progress-text]');
    function tick() {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (progress) {
          if (bar) {
            bar.max = Math.max(1, progress.total);
            bar.value = progress.done;
          }
          if (label) label.textContent = progress.text;
          if (progress.state === 'running' || progress.state === 'queued') {
            window.setTimeout(tick, EVERY_MS);
          } else {
            // Finished: the page itself shows the summary and the failed rows.
            window.location.reload();
          }
        })
        .catch(function () {
          window.setTimeout(tick, EVERY_MS * 5);
        });
    }
    window.setTimeout(tick, EVERY_MS);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var elements = document.querySelectorAll('[data-progress-url]');
    for (var i = 0; i < elements.length; i++) follow(elements[i]);
  });
})();
